"""Levels (half-open intervals), the four families and the borderline flag (§4-5)."""

from __future__ import annotations

import pandas as pd
import pytest

from barometre.questionnaire.models import Methodology
from barometre.scoring import family_of, levels_of
from barometre.scoring.typology import borderline_of
from tests.helpers import one_respondent, score_rows

METHOD = Methodology()


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, "tres_faible"),
        (24.999, "tres_faible"),
        (25.0, "faible"),
        (49.999999, "faible"),
        (50.0, "intermediaire"),
        (74.99, "intermediaire"),
        (75.0, "avancee"),
        (100.0, "avancee"),
    ],
)
def test_levels_are_half_open_intervals(score, level):
    assert levels_of(pd.Series([score]), METHOD).iloc[0] == level


def test_missing_score_has_no_level():
    assert levels_of(pd.Series([float("nan")]), METHOD).iloc[0] is None


def test_levels_come_from_the_questionnaire_file():
    custom = Methodology.model_validate(
        {
            "levels": [
                {"code": "bas", "label": {"fr": "Bas"}, "min": 0},
                {"code": "haut", "label": {"fr": "Haut"}, "min": 60},
            ]
        }
    )
    assert list(levels_of(pd.Series([59.9, 60.0]), custom)) == ["bas", "haut"]


@pytest.mark.parametrize(
    ("tech", "transfo", "family"),
    [
        (50.0, 50.0, "pionnier"),
        (80.0, 49.9, "timide"),
        (49.9, 49.9, "conservateur"),
        (10.0, 90.0, "prudent"),
        (100.0, 100.0, "pionnier"),
        (0.0, 0.0, "conservateur"),
    ],
)
def test_family_quadrants(tech, transfo, family):
    assert family_of(pd.Series([tech]), pd.Series([transfo]), METHOD).iloc[0] == family


def test_no_family_without_both_axes():
    assert family_of(pd.Series([float("nan")]), pd.Series([70.0]), METHOD).iloc[0] is None


def test_thresholds_are_configurable():
    strict = Methodology.model_validate({"typology": {"tech_threshold": 60}})
    assert family_of(pd.Series([55.0]), pd.Series([70.0]), strict).iloc[0] == "prudent"


@pytest.mark.parametrize(
    ("tech", "tech_se", "expected"),
    [(53.0, 5.0, True), (56.0, 5.0, False), (45.0, 5.0, True), (44.9, 5.0, False)],
)
def test_borderline_within_one_standard_error_of_a_threshold(tech, tech_se, expected):
    flag = borderline_of(
        pd.Series([tech]), pd.Series([90.0]), pd.Series([tech_se]), pd.Series([5.0]), METHOD
    )
    assert flag.iloc[0] is expected


def test_single_respondent_uses_the_default_standard_error():
    # One respondent: SE = 5 points (methodology default). tech = 52 → |52 - 50| ≤ 5
    answers = {
        "a_scale": "2",
        "a_single": "y",
        "a_multi": "p|q",
        "a_status.r1": "partial",
        "a_status.r2": "partial",
        "a_pct": "34",
        "b_mail": "20",
        "b_sponsor": "yes",
        "b_plan": "done",
    }
    org = score_rows(one_respondent(answers)).organisations.loc["O1"]
    # tech: (50 + 60 + 75 + 70 + 48) / 6 = 303 / 6 = 50.5
    assert org["tech"] == pytest.approx(50.5)
    assert org["tech_se"] == 5.0
    assert org["family"] == "pionnier"
    assert org["borderline"] is True


def test_axis_standard_error_comes_from_the_respondents():
    # Two respondents whose B (transfo) scores are 100 and 0: sd 70.71, SE = sd / sqrt(2) = 50
    rows = one_respondent(
        {"b_mail": "20", "b_sponsor": "yes", "b_plan": "done"}, "direction"
    ) + one_respondent({"b_mail": "80", "b_sponsor": "no", "b_plan": "none"}, "clientele")
    org = score_rows(rows).organisations.loc["O1"]
    assert org["transfo_se"] == pytest.approx(50.0)


def test_a_score_that_is_exactly_a_boundary_is_not_lost_to_rounding_errors():
    # (10 + 40 + 100) / 3 = 50 exactly, but weights of 1/3 in floating point give 49.999...
    thirds = 1 / 3 * 10 + 1 / 3 * 40 + 1 / 3 * 100
    assert thirds < 50
    assert levels_of(pd.Series([thirds]), METHOD).iloc[0] == "intermediaire"
    family = family_of(pd.Series([thirds]), pd.Series([thirds]), METHOD).iloc[0]
    assert family == "pionnier"
    assert levels_of(pd.Series([49.9999]), METHOD).iloc[0] == "faible"  # a real difference
