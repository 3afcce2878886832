"""Scoring settings of the methodology, computed by hand: missing answers counted as zero,
levels closed on their upper side, weighted exclusive options (docs/questionnaire-format.md).
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.errors import QuestionnaireError
from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text
from barometre.interop.versions import diff_questionnaires
from barometre.interop.xlsform import parse_xlsform, xlsform_bytes
from barometre.questionnaire import build_field_tables, parse_questionnaire
from barometre.questionnaire.fields import best_score
from barometre.questionnaire.models import Methodology, Questionnaire
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.recommend.engine import next_steps
from barometre.scoring import score_responses
from barometre.scoring.answer_check import AnswerRules
from barometre.scoring.answers import score_answers
from barometre.scoring.typology import level_index, levels_of, reaches
from tests.scoring.test_answer_check import engine_code

# Scores by hand:
#   a1  yesno, dimension d1, tech, direction, weight 1: yes 100, no 0
#   a2  single, d1, transfo, direction, weight 1: low 0, mid 50, high 100
#   a3  single, d1, tech, numerique, weight 2: low 0, mid 50, high 100
#   b1  yesno, d2, transfo, direction, weight 1
#   b2  multi, d2, tech, direction, weight 1: x (weight 1), y (weight 2),
#       paper (exclusive, weight 1, score 50), none (exclusive, score 0)
#       denominator 1 + 2 + 1 = 4 (paper's weight counts, none's not)
BASE = """
id: settings
version: "1"
title: {fr: Réglages}
methodology:
  missing_as_zero: MAZ
  levels_closed: CLOSED
roles:
  - {code: direction, label: {fr: Direction}}
  - {code: numerique, label: {fr: Numérique}}
dimensions:
  - {id: d1, label: {fr: Un}}
  - {id: d2, label: {fr: Deux}D2}
items:
  - {id: a1, kind: yesno, dimension: d1, axis: tech, roles: [direction], label: {fr: A1}}
  - id: a2
    kind: single
    dimension: d1
    axis: transfo
    roles: [direction]
    label: {fr: A2}
    options:
      - {code: low, label: {fr: Bas}, score: 0}
      - {code: mid, label: {fr: Moyen}, score: 50}
      - {code: high, label: {fr: Haut}, score: 100}
  - id: a3
    kind: single
    dimension: d1
    axis: tech
    weight: 2
    roles: [numerique]
    label: {fr: A3}
    options:
      - {code: low, label: {fr: Bas}, score: 0}
      - {code: mid, label: {fr: Moyen}, score: 50}
      - {code: high, label: {fr: Haut}, score: 100}
  - {id: b1, kind: yesno, dimension: d2, axis: transfo, roles: [direction], label: {fr: B1}}
  - id: b2
    kind: multi
    dimension: d2
    axis: tech
    roles: [direction]
    label: {fr: B2}
    options:
      - {code: x, label: {fr: X}}
      - {code: y, label: {fr: Y}, weight: 2}
      - {code: paper, label: {fr: Sur papier}, exclusive: true, weight: 1, score: 50}
      - {code: none, label: {fr: Aucun}, exclusive: true}
"""


@functools.cache
def questionnaire(maz: bool = True, closed: str = "lower", d2: bool | None = None) -> Questionnaire:
    text = (
        BASE.replace("MAZ", str(maz).lower())
        .replace("CLOSED", closed)
        .replace("D2", "" if d2 is None else f", missing_as_zero: {str(d2).lower()}")
    )
    return parse_questionnaire(text, "settings.yaml")


def responses(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["organisation_id", "respondent_id", "role", "item_id", "answer"]
    )


def score(q: Questionnaire, rows):
    return score_responses(q, responses(rows))


# --- missing answers counted as zero -------------------------------------------------------


def test_unanswered_counts_zero_and_coverage_no_longer_applies():
    # Only a director answered, and only a1 (yes) of d1; a2 left empty.
    rows = [("o", "r1", "direction", "a1", "yes"), ("o", "r1", "direction", "a2", "")]
    # Default: d1 = 100 on a1 alone, coverage 1 / (1 + 1 + 2) = 0.25 < 0.65: no score.
    default = score(questionnaire(maz=False), rows)
    assert math.isnan(default.dimension_scores.at["o", "d1"])
    assert default.dimension_coverage.at["o", "d1"] == pytest.approx(0.25)
    # Missing as zero: a2 counts 0; a3 is asked only of `numerique`, whom the organisation
    # has no respondent of: left out. d1 = (100 x 1 + 0 x 1) / (1 + 1) = 50, coverage 1.
    zero = score(questionnaire(), rows)
    assert zero.dimension_scores.at["o", "d1"] == pytest.approx(50.0)
    assert zero.dimension_coverage.at["o", "d1"] == 1.0
    # d2: b1 and b2 unanswered by the director: 0 / 2 = 0, a defined score.
    assert zero.dimension_scores.at["o", "d2"] == 0.0
    # global = (50 + 0) / 2 = 25
    assert zero.organisations.at["o", "global"] == pytest.approx(25.0)
    # The item scores of the file say what counts: a2 is 0, a3 stays null (not counted).
    assert zero.item_scores.at["o", "a2"] == 0.0
    assert math.isnan(zero.item_scores.at["o", "a3"])


def test_dont_know_counts_zero_and_not_applicable_leaves_the_denominator():
    dk = [("o", "r1", "direction", "a1", "yes"), ("o", "r1", "direction", "a2", "DK")]
    na = [("o", "r1", "direction", "a1", "yes"), ("o", "r1", "direction", "a2", "NA")]
    # DK: (100 + 0) / 2 = 50; NA: a2 leaves, d1 = 100 / 1 = 100.
    assert score(questionnaire(), dk).dimension_scores.at["o", "d1"] == pytest.approx(50.0)
    assert score(questionnaire(), na).dimension_scores.at["o", "d1"] == pytest.approx(100.0)


def test_a_role_present_in_the_organisation_counts_zero_on_its_items():
    # A `numerique` respondent left a3 empty: their role is in the organisation, a3 counts 0.
    rows = [
        ("o", "r1", "direction", "a1", "yes"),
        ("o", "r1", "direction", "a2", "mid"),
        ("o", "r2", "numerique", "a3", ""),
    ]
    # d1 = (100 x 1 + 50 x 1 + 0 x 2) / (1 + 1 + 2) = 150 / 4 = 37.5
    assert score(questionnaire(), rows).dimension_scores.at["o", "d1"] == pytest.approx(37.5)


def test_a_colleagues_answer_counts_before_the_zero():
    # Two directors: one says mid (50), the other left a2 empty. The organisation's value is
    # the mean of the scored answers, 50: a field counts 0 only when nobody scored it.
    rows = [
        ("o", "r1", "direction", "a1", "yes"),
        ("o", "r1", "direction", "a2", "mid"),
        ("o", "r2", "direction", "a1", "yes"),
        ("o", "r2", "direction", "a2", ""),
    ]
    result = score(questionnaire(), rows)
    # d1 = (100 + 50) / 2 = 75
    assert result.dimension_scores.at["o", "d1"] == pytest.approx(75.0)


def test_a_dimension_overrides_the_methodology():
    rows = [("o", "r1", "direction", "a1", "yes"), ("o", "r1", "direction", "b1", "yes")]
    # Methodology true, d2 false: d1 = (100 + 0) / 2 = 50; d2 = b1 alone, coverage 1/2 < 0.65.
    result = score(questionnaire(maz=True, d2=False), rows)
    assert result.dimension_scores.at["o", "d1"] == pytest.approx(50.0)
    assert math.isnan(result.dimension_scores.at["o", "d2"])
    assert result.dimension_coverage.at["o", "d2"] == pytest.approx(0.5)
    # Methodology false, d2 true: d1 = a1 alone, coverage 1/4; d2 = (100 + 0) / 2 = 50.
    result = score(questionnaire(maz=False, d2=True), rows)
    assert math.isnan(result.dimension_scores.at["o", "d1"])
    assert result.dimension_scores.at["o", "d2"] == pytest.approx(50.0)


def test_an_axis_takes_each_field_with_its_dimensions_setting():
    # tech axis: a1 (d1, weight 1), a3 (d1, weight 2, numerique), b2 (d2, weight 1).
    rows = [
        ("o", "r1", "direction", "a1", "yes"),
        ("o", "r2", "numerique", "a3", "high"),
    ]
    # d1 counts zeros, d2 does not: b2 unanswered stays missing on the tech axis.
    # tech = (100 x 1 + 100 x 2) / (1 + 2) = 100, coverage 3 / 4 = 0.75 >= 0.65.
    result = score(questionnaire(maz=True, d2=False), rows)
    assert result.organisations.at["o", "tech"] == pytest.approx(100.0)
    assert result.axis_coverage.at["o", "tech"] == pytest.approx(0.75)
    # transfo: a2 (d1: counts 0) and b1 (d2: missing): 0 / 1, coverage 1 / 2 < 0.65.
    assert math.isnan(result.organisations.at["o", "transfo"])
    # Both zero: tech = 300 / 4 = 75, coverage 1; transfo = 0 / 2 = 0.
    result = score(questionnaire(maz=True), rows)
    assert result.organisations.at["o", "tech"] == pytest.approx(75.0)
    assert result.organisations.at["o", "transfo"] == 0.0


def test_respondents_own_scores_count_their_unanswered_items_zero():
    # Two directors and two numerique per organisation for the perception gap (2 per side).
    rows = [
        ("o", "d1p", "direction", "a1", "yes"),
        ("o", "d1p", "direction", "a2", "high"),
        ("o", "d2p", "direction", "a1", "yes"),
        ("o", "d2p", "direction", "a2", ""),
        ("o", "n1p", "numerique", "a3", "high"),
        ("o", "n2p", "numerique", "a3", "DK"),
    ]
    result = score(questionnaire(), rows)
    # Each person's d1 over what their role is asked: d1p (100 + 100) / 2 = 100,
    # d2p (100 + 0) / 2 = 50, n1p 100, n2p 0 (DK counts 0).
    # Dispersion: sd of 100, 50, 100, 0 = sqrt(((25)^2 + (25)^2 + (25)^2 + (75)^2) / 3)
    #   mean 62.5: deviations 37.5, -12.5, 37.5, -62.5 -> squares 1406.25, 156.25, 1406.25,
    #   3906.25, sum 6875, / 3 = 2291.67, sqrt = 47.87
    assert result.dimension_dispersion.at["o", "d1"] == pytest.approx(math.sqrt(6875 / 3))
    # Perception gap: directors (100 + 50) / 2 = 75 minus others (100 + 0) / 2 = 50 -> 25.
    assert result.dimension_perception_gap.at["o", "d1"] == pytest.approx(25.0)


def test_existing_questionnaires_keep_the_default():
    assert Methodology().missing_as_zero is False
    assert Methodology().levels_closed == "lower"
    tables = build_field_tables(questionnaire(maz=False))
    assert not tables.fields["missing_as_zero"].any()


# --- levels closed on the upper side -------------------------------------------------------


def test_levels_closed_upper():
    scores = pd.Series([0.0, 25.0, 25.000001, 50.0, 49.99999999999999, 75.0, 75.5, 100.0])
    lower = levels_of(scores, questionnaire(closed="lower").methodology).tolist()
    upper = levels_of(scores, questionnaire(closed="upper").methodology).tolist()
    # [a, b): 25 opens "faible"; 49.99999999999999 rounds to 50 (10 decimals): intermediaire.
    assert lower == [
        "tres_faible",
        "faible",
        "faible",
        "intermediaire",
        "intermediaire",
        "avancee",
        "avancee",
        "avancee",
    ]
    # (a, b], the lowest [0, 25]: 25 closes "tres_faible", 50 closes "faible".
    assert upper == [
        "tres_faible",
        "tres_faible",
        "faible",
        "faible",
        "faible",
        "intermediaire",
        "avancee",
        "avancee",
    ]


def test_levels_closed_upper_in_the_engine_and_in_words():
    # a1 yes, a2 low: d1 = (100 + 0) / 2 = 50 (a3 not counted: no numerique respondent).
    rows = [
        ("o", "r1", "direction", "a1", "yes"),
        ("o", "r1", "direction", "a2", "low"),
        ("o", "r1", "direction", "b1", "yes"),
        ("o", "r1", "direction", "b2", "x"),
    ]
    upper = score(questionnaire(closed="upper"), rows)
    lower = score(questionnaire(closed="lower"), rows)
    assert upper.dimension_scores.at["o", "d1"] == pytest.approx(50.0)
    assert upper.dimension_levels.at["o", "d1"] == "faible"
    assert lower.dimension_levels.at["o", "d1"] == "intermediaire"
    method = questionnaire(closed="upper").methodology
    assert method.levels[level_index(25.0, method)].code == "tres_faible"
    assert not reaches(50.0, 50.0, method) and reaches(50.5, 50.0, method)
    lower_method = questionnaire(closed="lower").methodology
    assert reaches(50.0, 50.0, lower_method) and not reaches(49.9, 50.0, lower_method)


# --- weighted exclusive options ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("x", 25.0),  # 100 x 1 / 4
        ("y", 50.0),  # 100 x 2 / 4
        ("x|y", 75.0),  # 100 x 3 / 4: the best answer short of the weighted exclusive
        ("paper", 12.5),  # 100 x (1 x 50 / 100) / 4
        ("none", 0.0),  # an exclusive option without a weight: its score, as before
    ],
)
def test_weighted_exclusive_option(answer, expected):
    tables = build_field_tables(questionnaire())
    scored = score_answers(responses([("o", "r", "direction", "b2", answer)]), tables)
    assert scored["score"].iloc[0] == pytest.approx(expected)


def test_without_a_weight_the_exclusive_option_keeps_todays_rule():
    text = questionnaire().model_dump(mode="json")
    for option in text["items"][4]["options"]:
        if option["code"] == "paper":
            option["weight"] = None
    q = Questionnaire.model_validate(text)
    tables = build_field_tables(q)
    scored = score_answers(
        responses([("o", "r", "direction", "b2", "x"), ("o", "r2", "direction", "b2", "paper")]),
        tables,
    )
    # x: 100 x 1 / (1 + 2) = 33.33; paper: its score, 50.
    assert scored["score"].tolist() == pytest.approx([100 / 3, 50.0])


def test_best_score_of_a_multi_with_a_weighted_exclusive():
    q = questionnaire()
    assert best_score(q.item("b2"), q.methodology) == pytest.approx(75.0)  # 100 x 3 / 4
    assert best_score(q.item("a1"), q.methodology) == 100.0


# --- validation ----------------------------------------------------------------------------


def _problems(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "bad.yaml")
    return [p.code for p in caught.value.problems]


def test_validation_of_the_settings():
    text = questionnaire_yaml(questionnaire(closed="upper"))
    assert _problems(text.replace("levels_closed: upper", "levels_closed: up")) == ["literal_error"]
    assert _problems(text.replace("missing_as_zero: true", "missing_as_zero: often")) == [
        "invalid_value"
    ]
    bad_dimension = text.replace(
        "label: {fr: Deux}", "label: {fr: Deux}\n    missing_as_zero: maybe"
    )
    assert _problems(bad_dimension) == ["invalid_value"]
    no_score = text.replace("score: 50, weight: 1, exclusive: true", "weight: 1, exclusive: true")
    assert _problems(no_score) == ["exclusive_misuse_weight"]


def test_a_weight_on_an_exclusive_option_of_another_kind_is_refused():
    text = questionnaire_yaml(questionnaire()).replace(
        "{code: mid, label: {fr: Moyen}, score: 50}",
        "{code: mid, label: {fr: Moyen}, score: 50, exclusive: true, weight: 1}",
        1,
    )
    assert sorted(_problems(text)) == ["exclusive_misuse", "unexpected_weight"]


# --- the settings travel: YAML, XLSForm, SurveyJS, versions -----------------------------------


@pytest.mark.parametrize("d2", [None, True, False])
def test_round_trips_keep_the_settings(d2):
    q = questionnaire(maz=True, closed="upper", d2=d2)
    assert parse_questionnaire(questionnaire_yaml(q), "written") == q
    assert parse_xlsform(xlsform_bytes(q)) == q
    assert parse_surveyjs(json.loads(surveyjs_text(q))) == q


def test_a_change_of_the_settings_breaks_comparability():
    base = questionnaire(maz=False, closed="lower")
    levels = diff_questionnaires(base, questionnaire(maz=False, closed="upper"))
    assert [c.path for c in levels.breaking] == ["methodology.levels_closed"]
    assert levels.comparability.dimensions == ["d1", "d2"]  # scores still compare
    assert not levels.comparability.levels
    zero = diff_questionnaires(base, questionnaire(maz=True, d2=False))
    assert zero.comparability.not_comparable.keys() == {"d1"}
    assert zero.comparability.dimensions == ["d2"]
    assert not zero.comparability.global_index
    # d2 set to what it already followed: nothing moves.
    same = diff_questionnaires(base, questionnaire(maz=False, d2=False))
    assert same.breaking == []


# --- one web answer is checked as the engine checks it ---------------------------------------

TABLES = build_field_tables(questionnaire())
RULES = AnswerRules.from_tables(TABLES)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(["a1", "a2", "a3", "b1", "b2", "b9"]),
    role=st.sampled_from(["direction", "numerique"]),
    ticks=st.lists(st.sampled_from(["x", "y", "paper", "none", "z", "NA", "DK"]), max_size=3),
)
def test_answer_check_agrees_with_the_engine(field, role, ticks):
    tables = TABLES
    value = "|".join(ticks)
    code = RULES.check(role, field, value)
    assert code == engine_code(tables, role, field, value)


# --- properties ----------------------------------------------------------------------------

ANSWERS = {
    "a1": ["yes", "no"],
    "a2": ["low", "mid", "high"],
    "a3": ["low", "mid", "high"],
    "b1": ["yes", "no"],
    "b2": ["x", "y", "x|y", "paper", "none"],
}
ROLE_OF = {"a1": "direction", "a2": "direction", "a3": "numerique"}


@st.composite
def answer_rows(draw):
    """Two organisations, each with a director and maybe a numerique respondent, every asked
    item answered, left empty, DK or NA."""
    rows = []
    for org in ("o1", "o2"):
        roles = ["direction"] + (["numerique"] if draw(st.booleans()) else [])
        for role in roles:
            for item, codes in ANSWERS.items():
                if ROLE_OF.get(item, "direction") != role:
                    continue
                answer = draw(st.sampled_from([*codes, "", "DK", "NA"]))
                rows.append((org, f"{org}-{role}", role, item, answer))
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answer_rows())
def test_with_missing_as_zero_coverage_never_suppresses_a_dimension(rows):
    result = score(questionnaire(maz=True), rows)
    for org in result.dimension_scores.index:
        for dimension, items in (("d1", ["a1", "a2", "a3"]), ("d2", ["b1", "b2"])):
            given_here = [r for r in rows if r[0] == org and r[3] in items]
            all_na = all(r[4] == "NA" for r in given_here)
            value = result.dimension_scores.at[org, dimension]
            # Undefined only when every asked item is not applicable.
            assert math.isnan(value) == all_na
            if not all_na:
                assert result.dimension_coverage.at[org, dimension] == 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answer_rows())
def test_missing_as_zero_never_scores_above_the_default(rows):
    default = score(questionnaire(maz=False), rows)
    zero = score(questionnaire(maz=True), rows)
    both = np.isfinite(default.dimension_scores.to_numpy(dtype=float))
    assert np.all(
        zero.dimension_scores.to_numpy(dtype=float)[both]
        <= default.dimension_scores.to_numpy(dtype=float)[both] + 1e-9
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answer_rows())
def test_levels_closed_upper_differs_only_on_a_minimum(rows):
    lower = score(questionnaire(closed="lower"), rows)
    upper = score(questionnaire(closed="upper"), rows)
    values = np.round(lower.dimension_scores.to_numpy(dtype=float), 10)
    same = (lower.dimension_levels.fillna("-") == upper.dimension_levels.fillna("-")).to_numpy()
    on_minimum = np.isin(values, [25.0, 50.0, 75.0])
    assert np.all(same | on_minimum)
    assert not np.any(same & on_minimum)


def test_the_next_level_above_a_minimum_needs_a_score_above_it():
    # missing as zero, levels closed above: a1 yes, a2 low -> d1 = (100 + 0) / 2 = 50 (a3 left
    # out: no numerique respondent), "faible" since 50 closes it.
    q = questionnaire(maz=True, closed="upper")
    rows = [("o", "r1", "direction", "a1", "yes"), ("o", "r1", "direction", "a2", "low")]
    org = score(q, rows).to_file().organisation("o")
    assert org is not None
    step = next(s for s in next_steps(org, q, "en") if s.dimension == "d1")
    assert (step.level, step.next_level, step.next_min) == ("faible", "intermediaire", 50.0)
    assert step.next_above
    # At 50 the level [50, 75) would be reached already; (50, 75] needs a move: a2 at its best
    # gives (100 + 100) / 2 = 100 (a3 unanswered would give (100 + 200) / 4 = 75, less).
    assert [m.item_id for m in step.moves] == ["a2"] and step.reachable


def test_the_sector_reports_level_of_a_score_follows_the_closed_side():
    from barometre.reports.sector import level_label

    # 25 closes "Very low" under upper-closed levels and opens "Low" under the default.
    assert level_label(25.0, questionnaire(closed="upper"), "en") == "Very low"
    assert level_label(25.0, questionnaire(closed="lower"), "en") == "Low"


def test_a_weighted_exclusive_answer_is_told_back_from_its_score():
    from barometre.recommend.answers import told_answer

    q = questionnaire()
    # b2: paper is worth 100 x (1 x 50 / 100) / 4 = 12.5: told as that option.
    told = told_answer(q.item("b2"), 12.5, q.methodology)
    assert told is not None and "Sur papier" in told.fr
    # Equal list weights: x and y (1 each), paper (weight 2, score 25, worth
    # 100 x (2 x 25 / 100) / 4 = 12.5): denominator 4. x alone scores 100 x 1 / 4 = 25, that
    # is 25 x 4 / 100 = 1 of the 2 options of the list.
    item = q.item("b2").model_copy(
        update={
            "options": [
                q.item("b2").options[0],
                q.item("b2").options[1].model_copy(update={"weight": None}),
                q.item("b2").options[2].model_copy(update={"weight": 2.0, "score": 25.0}),
            ]
        }
    )
    told = told_answer(item, 25.0, q.methodology)
    assert told is not None and told.en == "1 of 2 options ticked"
