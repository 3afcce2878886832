"""An optional, configurable typology: named axes with their own thresholds, or none at all.

The answers below are scored by hand (tests/helpers.py describes the tiny questionnaire):

    dimension A / first axis:  a_scale "2" = 50 (weight 1), a_single "z" = 100 (weight 2),
                               a_multi "p" = 2 / (2+1+1) = 50 (weight 1)
                               coverage 4 / 6 = 0.667 >= 0.65 (a_status 1, a_pct 1 unanswered)
                               score (50 + 2*100 + 50) / 4 = 300 / 4 = 75
    dimension B / second axis: b_mail 50 a day, worst 80 best 20: (80-50)/(80-20) = 50
                               b_sponsor "no" = 0, b_plan "draft" = 40 (weight 2)
                               score (50 + 0 + 2*40) / 4 = 130 / 4 = 32.5
    one respondent: the axes' standard error is single_respondent_se = 5, z = 1.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.contracts.scores import ScoresFile
from barometre.errors import Code, QuestionnaireError
from barometre.questionnaire import parse_questionnaire
from barometre.questionnaire.models import Methodology
from barometre.scoring import family_of
from tests.helpers import TINY, one_respondent, score_rows

ANSWERS = {
    "a_scale": "2",
    "a_single": "z",
    "a_multi": "p",
    "b_mail": "50",
    "b_sponsor": "no",
    "b_plan": "draft",
}


def named(capability: float, governance: float, extra: str = "") -> str:
    """TINY with its axes named capability (first) and governance (second)."""
    text = TINY.replace("axis: tech", "axis: capability").replace(
        "axis: transfo", "axis: governance"
    )
    return text.replace(
        "roles:\n",
        "methodology:\n"
        "  typology:\n"
        f"{extra}"
        "    axes:\n"
        "      - {id: capability, label: {fr: Capacité, en: Capability}, "
        f"threshold: {capability}}}\n"
        f"      - {{id: governance, label: {{fr: Gouvernance}}, threshold: {governance}}}\n"
        "roles:\n",
        1,
    )


def without_typology(text: str = TINY) -> str:
    lines = [
        line for line in text.splitlines() if line.strip() not in ("axis: tech", "axis: transfo")
    ]
    return "\n".join(lines).replace("roles:\n", "methodology:\n  typology: null\nroles:\n", 1)


def codes(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "q.yaml")
    return [p.code for p in caught.value.problems]


def test_default_typology_scores_the_hand_computed_axes():
    result = score_rows(one_respondent(ANSWERS))
    row = result.organisations.loc["O1"]
    assert row["tech"] == pytest.approx(75.0)
    assert row["transfo"] == pytest.approx(32.5)
    # 75 >= 50 and 32.5 < 50: high on the first axis only
    assert row["family"] == "timide"


@pytest.mark.parametrize(
    ("capability", "governance", "family", "borderline"),
    [
        # 75 >= 60, 32.5 >= 20: both high; |75-60| = 15 > 5 and |32.5-20| = 12.5 > 5
        (60, 20, "pionnier", False),
        # 75 >= 70, 32.5 >= 30; |75-70| = 5 <= 1 x 5: borderline
        (70, 30, "pionnier", True),
        # 75 >= 60, 32.5 < 40: timide; |32.5-40| = 7.5 > 5, 15 > 5
        (60, 40, "timide", False),
        # 75 < 90, 32.5 >= 20: prudent (low first axis, high second)
        (90, 20, "prudent", False),
        # 75 < 90, 32.5 < 40: conservateur; |32.5-40| = 7.5, |75-90| = 15
        (90, 40, "conservateur", False),
    ],
)
def test_named_axes_use_their_own_thresholds(capability, governance, family, borderline):
    questionnaire = parse_questionnaire(named(capability, governance), "q.yaml")
    result = score_rows(one_respondent(ANSWERS), questionnaire)
    row = result.organisations.loc["O1"]
    # the first axis (capability) plays tech's role, the second (governance) transfo's
    assert row["tech"] == pytest.approx(75.0)
    assert row["transfo"] == pytest.approx(32.5)
    assert row["family"] == family
    assert row["borderline"] is borderline


def test_named_axes_are_written_in_the_methodology_of_the_scores_file():
    questionnaire = parse_questionnaire(named(60, 20), "q.yaml")
    scores = score_rows(one_respondent(ANSWERS), questionnaire).to_file()
    typology = json.loads(scores.dumps())["methodology"]["typology"]
    assert typology == {
        "tech_threshold": 60.0,
        "transfo_threshold": 20.0,
        "axes": [
            {"role": "tech", "id": "capability", "label": {"fr": "Capacité", "en": "Capability"}},
            {"role": "transfo", "id": "governance", "label": {"fr": "Gouvernance"}},
        ],
    }
    organisation = json.loads(scores.dumps())["organisations"][0]
    assert organisation["axes"] == {"tech": 75.0, "transfo": 32.5}
    assert organisation["family"] == "pionnier"
    back = ScoresFile.load(json.loads(scores.dumps()), "s.json")
    assert back == scores
    assert back.methodology.typology is not None
    assert back.methodology.typology.label("tech", "en") == "Capability"
    assert back.methodology.typology.label("transfo", "en") == "Gouvernance"  # French fallback


def test_default_typology_writes_no_axes_names():
    scores = score_rows(one_respondent(ANSWERS)).to_file()
    typology = json.loads(scores.dumps())["methodology"]["typology"]
    assert typology == {"tech_threshold": 50.0, "transfo_threshold": 50.0}


def test_no_typology_computes_and_writes_no_axis_family_or_borderline():
    questionnaire = parse_questionnaire(without_typology(), "q.yaml")
    assert questionnaire.methodology.typology is None
    result = score_rows(one_respondent(ANSWERS), questionnaire)
    row = result.organisations.loc["O1"]
    assert row["family"] is None
    assert row["borderline"] is None
    # the dimensions and the global index are as with a typology: A 75, B 32.5, (75+32.5)/2
    assert row["global"] == pytest.approx(53.75)
    data = json.loads(result.to_file().dumps())
    assert data["methodology"]["typology"] is None
    organisation = data["organisations"][0]
    for key in ("family", "borderline", "axes", "axes_se", "axes_coverage"):
        assert key not in organisation
    back = ScoresFile.load(data, "s.json")
    assert not back.has_typology
    assert back.organisations[0].family is None
    assert back.organisations[0].axes.tech is None
    assert back.dumps() == result.to_file().dumps()


def test_an_axis_in_a_questionnaire_without_typology_is_an_error():
    text = without_typology().replace(
        "    dimension: B\n", "    dimension: B\n    axis: transfo\n", 1
    )
    assert codes(text) == [Code.AXIS_WITHOUT_TYPOLOGY]


def test_an_axis_the_typology_does_not_name_is_an_error():
    text = named(50, 50).replace("axis: governance", "axis: transfo", 1)
    found = codes(text)
    assert Code.UNKNOWN_AXIS in found


def test_a_scored_item_without_axis_names_the_declared_axes():
    text = named(50, 50).replace("    axis: capability\n", "", 1)
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "q.yaml")
    (missing,) = [p for p in caught.value.problems if p.code == Code.MISSING_NAMED_AXIS]
    assert "capability, governance" in missing.message
    assert "q.yaml:" in missing.location


def test_today_rule_for_a_missing_axis_is_kept():
    text = TINY.replace("    axis: tech\n", "", 1)
    assert Code.MISSING_AXIS in codes(text)


def test_named_axes_are_exactly_two_and_distinct():
    three = named(50, 50).replace(
        "roles:\n  - {code: direction",
        "roles:\n  - {code: direction",
    )
    three = three.replace(
        "      - {id: governance",
        "      - {id: third, label: {fr: Trois}}\n      - {id: governance",
        1,
    )
    assert Code.TYPOLOGY_AXES_COUNT in codes(three)
    same = named(50, 50).replace("{id: governance", "{id: capability", 1)
    assert Code.DUPLICATE_TYPOLOGY_AXIS in codes(same)


def test_a_threshold_set_beside_named_axes_must_agree():
    assert Code.TYPOLOGY_THRESHOLD_CONFLICT in codes(named(60, 20, "    tech_threshold: 55\n"))
    # the same number is accepted (a file written back carries both)
    parse_questionnaire(named(60, 20, "    tech_threshold: 60\n"), "q.yaml")


@settings(max_examples=60, deadline=None)
@given(
    first=st.floats(0, 100, allow_nan=False),
    second=st.floats(0, 100, allow_nan=False),
    threshold_a=st.floats(0, 100, allow_nan=False),
    threshold_b=st.floats(0, 100, allow_nan=False),
)
def test_named_axes_classify_like_the_default_axes(first, second, threshold_a, threshold_b):
    """Naming the axes changes the words, never the quadrant: the named thresholds act as
    tech_threshold and transfo_threshold."""
    import pandas as pd

    named_method = Methodology.model_validate(
        {
            "typology": {
                "axes": [
                    {"id": "a", "label": {"fr": "A"}, "threshold": threshold_a},
                    {"id": "b", "label": {"fr": "B"}, "threshold": threshold_b},
                ]
            }
        }
    )
    plain = Methodology.model_validate(
        {"typology": {"tech_threshold": threshold_a, "transfo_threshold": threshold_b}}
    )
    x, y = pd.Series([first]), pd.Series([second])
    assert family_of(x, y, named_method).iloc[0] == family_of(x, y, plain).iloc[0]
