"""Item scores, kind by kind, with the arithmetic written out (methodology §2)."""

from __future__ import annotations

import math

import pytest

from tests.helpers import TINY, one_respondent, score_rows, tiny_questionnaire


def item(answers: dict[str, str], name: str, role: str = "numerique") -> float:
    return score_rows(one_respondent(answers, role)).item_scores.at["O1", name]


@pytest.mark.parametrize(
    ("code", "expected"), [("0", 0), ("1", 25), ("2", 50), ("3", 75), ("4", 100)]
)
def test_scale_without_scores_is_spread_linearly(code, expected):
    assert item({"a_scale": code}, "a_scale") == expected  # 5 levels: steps of 100 / 4


@pytest.mark.parametrize(("code", "expected"), [("none", 0), ("draft", 40), ("done", 100)])
def test_scale_with_explicit_scores(code, expected):
    assert item({"b_plan": code}, "b_plan") == expected


@pytest.mark.parametrize(("code", "expected"), [("x", 0), ("y", 30), ("z", 100)])
def test_single_uses_the_option_score(code, expected):
    assert item({"a_single": code}, "a_single") == expected


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        ("p", 50.0),  # 2 / (2 + 1 + 1)
        ("q", 25.0),  # 1 / 4
        ("q|r", 50.0),  # 2 / 4
        ("p|q|r", 100.0),  # 4 / 4
        ("r|p", 75.0),  # 3 / 4, order does not matter
        ("none", 0.0),  # the exclusive option is worth 0 by default
    ],
)
def test_multi_is_the_weighted_share_of_ticked_options(ticked, expected):
    assert item({"a_multi": ticked}, "a_multi") == pytest.approx(expected)


def test_status_rows_share_the_item_weight():
    # r1 generalised = 100 (weight 1), r2 planned = 10 (weight 3): (100 + 3 x 10) / 4 = 32.5
    score = item({"a_status.r1": "generalised", "a_status.r2": "planned"}, "a_status")
    assert score == pytest.approx(32.5)


def test_plans_never_count_like_achievements():
    planned = item({"a_status.r1": "planned", "a_status.r2": "planned"}, "a_status")
    piloting = item({"a_status.r1": "piloting", "a_status.r2": "piloting"}, "a_status")
    assert planned == 10 and piloting == 40


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", 0.0), ("35", 50.0), ("60", 100.0), ("0", 0.0), ("95", 100.0), ("22,5", 25.0)],
)
def test_percent_on_fixed_goalposts_is_clamped(value, expected):
    # (value - 10) / (60 - 10) x 100, clamped to 0-100; a decimal comma is accepted
    assert item({"a_pct": value}, "a_pct") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80", 0.0), ("50", 50.0), ("20", 100.0), ("5", 100.0), ("120", 0.0), ("65", 25.0)],
)
def test_number_where_lower_is_better(value, expected):
    # (value - 80) / (20 - 80) x 100: 50 e-mails a day sits halfway
    assert item({"b_mail": value}, "b_mail") == pytest.approx(expected)


@pytest.mark.parametrize(("answer", "expected"), [("yes", 100.0), ("no", 0.0)])
def test_yesno(answer, expected):
    assert item({"b_sponsor": answer}, "b_sponsor") == expected


def test_text_and_context_items_are_not_scored():
    result = score_rows(
        one_respondent(
            {
                "ctx_comment": "Trop de courriels",
                "ctx_family": "OPH",
                "ctx_feel": "7",
                "a_scale": "2",
            },
            role="direction",
        )
    )
    assert "ctx_comment" not in result.item_scores.columns
    assert "ctx_family" not in result.item_scores.columns
    org = result.organisations.loc["O1"]
    assert org["declared_organisation_type"] == "OPH"
    assert org["perceived_maturity"] == 7
    assert org["perceived_score"] == pytest.approx(100 * 6 / 9)  # 1-10 mapped onto 0-100


def test_dont_know_and_not_applicable_give_no_score():
    result = score_rows(one_respondent({"a_scale": "DK", "a_single": "NA", "a_multi": "q"}))
    assert math.isnan(result.item_scores.at["O1", "a_scale"])
    assert math.isnan(result.item_scores.at["O1", "a_single"])


def test_context_is_the_first_respondent_in_sorted_order_and_the_mean_rating():
    rows = [
        # O2 comes first in the file, and its respondent "z" before "b".
        ("O2", "O2-z", "direction", "ctx_family", "ESH"),
        ("O2", "O2-z", "direction", "ctx_feel", "3"),
        ("O2", "O2-b", "direction", "ctx_family", "OPH"),
        ("O2", "O2-b", "direction", "ctx_feel", "8"),
        ("O2", "O2-c", "numerique", "ctx_feel", "4"),
        ("O2", "O2-c", "numerique", "a_scale", "2"),
        ("O1", "O1-a", "direction", "ctx_family", "ESH"),
        ("O1", "O1-a", "direction", "a_scale", "1"),
        ("O3", "O3-a", "numerique", "a_scale", "3"),
    ]
    organisations = score_rows(rows).organisations
    # The first respondent by identifier answers for the organisation: O2-b, not O2-z.
    assert organisations["declared_organisation_type"].to_dict() == {
        "O1": "ESH",
        "O2": "OPH",
        "O3": None,
    }
    assert organisations.at["O2", "perceived_maturity"] == (3 + 8 + 4) / 3
    assert organisations.at["O2", "perceived_score"] == pytest.approx(100 * (5 - 1) / 9)
    assert math.isnan(organisations.at["O1", "perceived_maturity"])
    assert math.isnan(organisations.at["O3", "perceived_maturity"])


def test_a_perceived_rating_of_minus_zero_reads_as_zero():
    # A rating asked as a number: "-0" among integers reads 0, as pandas reads such a column.
    feel = TINY.index("  - id: ctx_feel")
    after = TINY.index("  - id: ctx_comment")
    number = """  - id: ctx_feel
    kind: number
    scored: false
    context: perceived_maturity
    roles: [direction, numerique, clientele]
    label: {fr: Maturité perçue}
    minimum: 0
    maximum: 10
"""
    questionnaire = tiny_questionnaire(TINY[:feel] + number + TINY[after:])
    rows = [
        ("O1", "O1-a", "numerique", "ctx_feel", "-0"),
        ("O1", "O1-a", "numerique", "a_scale", "2"),
        ("O2", "O2-a", "numerique", "ctx_feel", "5"),
    ]
    perceived = score_rows(rows, questionnaire).organisations["perceived_maturity"]
    assert perceived.tolist() == [0.0, 5.0]
    assert math.copysign(1.0, perceived["O1"]) == 1.0  # +0, not -0
