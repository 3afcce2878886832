"""Dimensions, coverage, global index, consolidation of respondents (methodology §3-4)."""

from __future__ import annotations

import math

import pytest

from tests.helpers import one_respondent, score_rows

FULL_A = {
    "a_scale": "2",
    "a_single": "y",
    "a_multi": "q|r",
    "a_status.r1": "generalised",
    "a_status.r2": "piloting",
    "a_pct": "35",
}
FULL_B = {"b_mail": "50", "b_sponsor": "yes", "b_plan": "draft"}


def test_dimension_is_the_weighted_mean_of_its_items():
    result = score_rows(one_respondent({**FULL_A, **FULL_B}))
    # A: scale 50 (w1), single 30 (w2), multi 50 (w1), status rows 100 (w .25) and 40 (w .75),
    #    percent 50 (w1): (50 + 2 x 30 + 50 + 25 + 30 + 50) / 6 = 265 / 6 = 44.17
    assert result.dimension_scores.at["O1", "A"] == pytest.approx(265 / 6)
    # B: mail 50 (w1), sponsor 100 (w1), plan 40 (w2): (50 + 100 + 80) / 4 = 57.5
    assert result.dimension_scores.at["O1", "B"] == pytest.approx(57.5)
    # global: equal dimension weights, (44.17 + 57.5) / 2 = 50.83
    org = result.organisations.loc["O1"]
    assert org["global"] == pytest.approx((265 / 6 + 57.5) / 2)
    assert org["level"] == "intermediaire"
    # axes: every A item is tech, every B item transfo; tech < 50 ≤ transfo
    assert org["tech"] == pytest.approx(265 / 6) and org["transfo"] == pytest.approx(57.5)
    assert org["family"] == "prudent"


def test_dimension_needs_65_percent_of_its_applicable_weight():
    # B weights: mail 1, sponsor 1, plan 2 (total 4).
    # Only plan answered: 2 / 4 = 50 % < 65 % → insufficient data.
    result = score_rows(one_respondent({**FULL_A, "b_plan": "done", "b_sponsor": "DK"}))
    assert math.isnan(result.dimension_scores.at["O1", "B"])
    assert result.dimension_coverage.at["O1", "B"] == pytest.approx(0.5)
    assert result.dimension_levels.at["O1", "B"] is None
    assert math.isnan(result.organisations.at["O1", "global"])  # needs every dimension
    assert result.organisations.at["O1", "level"] is None


def test_not_applicable_leaves_the_denominator():
    # sponsor NA: applicable weight 3; plan + mail answered = 3 / 3 = 100 %
    result = score_rows(
        one_respondent({**FULL_A, "b_sponsor": "NA", "b_plan": "done", "b_mail": "80"})
    )
    assert result.dimension_coverage.at["O1", "B"] == pytest.approx(1.0)
    assert result.dimension_scores.at["O1", "B"] == pytest.approx((2 * 100 + 0) / 3)


def test_coverage_exactly_at_the_threshold_counts():
    # A has weight 1 + 2 + 1 + 1 + 1 = 6 (the status table shares its weight 1).
    # Answer single (2) + multi (1) + percent (1) = 4 / 6 = 66.7 % ≥ 65 % → scored.
    answers = {"a_single": "z", "a_multi": "p|q|r", "a_pct": "60", **FULL_B}
    result = score_rows(one_respondent(answers))
    assert result.dimension_coverage.at["O1", "A"] == pytest.approx(4 / 6)
    assert result.dimension_scores.at["O1", "A"] == pytest.approx(100.0)


def test_several_respondents_are_averaged_item_by_item():
    rows = one_respondent({"a_scale": "4", "a_single": "z"}, role="direction") + one_respondent(
        {"a_scale": "0", "a_single": "y"}, role="clientele"
    )
    result = score_rows(rows)
    assert result.item_scores.at["O1", "a_scale"] == pytest.approx(50.0)  # (100 + 0) / 2
    assert result.item_scores.at["O1", "a_single"] == pytest.approx(65.0)  # (100 + 30) / 2


def test_reference_role_figure_counts_for_fact_indicators():
    rows = one_respondent({"a_pct": "60"}, role="numerique") + one_respondent(
        {"a_pct": "10"}, role="clientele"
    )
    assert score_rows(rows).item_scores.at["O1", "a_pct"] == 100.0  # numerique's 60, not 35


def test_other_roles_count_when_the_reference_role_did_not_give_a_figure():
    rows = one_respondent({"a_pct": "DK"}, role="numerique") + one_respondent(
        {"a_pct": "35"}, role="clientele"
    )
    assert score_rows(rows).item_scores.at["O1", "a_pct"] == pytest.approx(50.0)


def test_an_item_is_not_applicable_only_when_every_answer_says_so():
    na_and_dk = one_respondent({"b_sponsor": "NA"}, "direction") + one_respondent(
        {"b_sponsor": "DK"}, "clientele"
    )
    both_na = one_respondent({"b_sponsor": "NA"}, "direction") + one_respondent(
        {"b_sponsor": "NA"}, "clientele"
    )
    base = one_respondent({"b_mail": "20", "b_plan": "done"}, "numerique")
    # DK keeps the item in the denominator: (1 + 2) / 4 = 75 %
    assert score_rows(base + na_and_dk).dimension_coverage.at["O1", "B"] == pytest.approx(0.75)
    # all NA: the item leaves it: 3 / 3
    assert score_rows(base + both_na).dimension_coverage.at["O1", "B"] == pytest.approx(1.0)


def person(answers: dict[str, str], role: str, name: str):
    """Rows of one respondent named `name` (two people may share a role)."""
    return [
        (org, f"O1-{name}", role_, item, answer)
        for org, _id, role_, item, answer in (one_respondent(answers, role))
    ]


def test_dispersion_and_perception_gap_between_respondents():
    rows = (
        person({"b_mail": "20", "b_sponsor": "yes", "b_plan": "done"}, "direction", "ceo")
        + person({"b_mail": "80", "b_sponsor": "no", "b_plan": "none"}, "direction", "cfo")
        + one_respondent({"b_mail": "80", "b_sponsor": "no", "b_plan": "none"}, "clientele")
        + one_respondent({"b_mail": "50", "b_sponsor": "no", "b_plan": "draft"}, "numerique")
    )
    result = score_rows(rows)
    # respondents' B scores (b_mail is asked of numerique only): directions 100 and 0;
    # clientele 0; numerique (50 + 0 + 80) / 4
    # = 32.5. Gap: (100 + 0) / 2 - (0 + 32.5) / 2 = 50 - 16.25 = 33.75
    assert result.dimension_perception_gap.at["O1", "B"] == pytest.approx(33.75)
    # sample standard deviation of 100, 0, 0, 32.5 (mean 33.125)
    mean = (100 + 0 + 0 + 32.5) / 4
    sd = math.sqrt(((100 - mean) ** 2 + 2 * mean**2 + (32.5 - mean) ** 2) / 3)
    assert result.dimension_dispersion.at["O1", "B"] == pytest.approx(sd)


def test_no_perception_gap_with_a_single_director():
    """Issue 10, finding 11: with one director the gap and the score give that person's own
    answers, next to their name in the colleague list."""
    rows = (
        one_respondent({"b_mail": "20", "b_sponsor": "yes", "b_plan": "done"}, "direction")
        + one_respondent({"b_mail": "80", "b_sponsor": "no", "b_plan": "none"}, "clientele")
        + one_respondent({"b_mail": "50", "b_sponsor": "no", "b_plan": "draft"}, "numerique")
    )
    result = score_rows(rows)
    # 1 director, 2 others: before, 100 - (0 + 32.5) / 2 = 83.75 was shown
    assert math.isnan(result.dimension_perception_gap.at["O1", "B"])
    assert math.isnan(result.organisations.at["O1", "perception_gap"])
    # the dispersion of three respondents is shown: sd of 100, 0, 32.5 (mean 44.1667)
    mean = (100 + 0 + 32.5) / 3
    sd = math.sqrt(((100 - mean) ** 2 + mean**2 + (32.5 - mean) ** 2) / 2)
    assert result.dimension_dispersion.at["O1", "B"] == pytest.approx(sd)
    # the organisation's B score is item by item: mail 50, sponsor 33.3, plan 46.67
    assert result.dimension_scores.at["O1", "B"] == pytest.approx(
        (50 + 100 / 3 + 2 * (100 + 0 + 40) / 3) / 4
    )


def test_no_perception_gap_with_a_single_other_respondent():
    rows = person({"b_mail": "20", "b_sponsor": "yes", "b_plan": "done"}, "direction", "ceo")
    rows += person({"b_mail": "80", "b_sponsor": "no", "b_plan": "none"}, "direction", "cfo")
    rows += one_respondent({"b_mail": "50", "b_sponsor": "no", "b_plan": "draft"}, "numerique")
    result = score_rows(rows)
    assert math.isnan(result.dimension_perception_gap.at["O1", "B"])


def test_no_dispersion_for_a_single_respondent():
    result = score_rows(one_respondent({"b_mail": "20", "b_sponsor": "yes", "b_plan": "done"}))
    assert math.isnan(result.dimension_dispersion.at["O1", "B"])
    assert math.isnan(result.dimension_perception_gap.at["O1", "B"])


def test_organisations_are_scored_independently():
    rows = one_respondent({**FULL_A, **FULL_B}, org="O1") + one_respondent(
        {**FULL_A, **FULL_B, "a_single": "z"}, org="O2"
    )
    result = score_rows(rows)
    # O2's single is 100 instead of 30: A = (265 + 2 x 70) / 6
    assert result.dimension_scores.at["O1", "A"] == pytest.approx(265 / 6)
    assert result.dimension_scores.at["O2", "A"] == pytest.approx((265 + 140) / 6)


def test_json_contract():
    data = score_rows(one_respondent({**FULL_A, **FULL_B, "a_scale": "DK"})).to_file().to_json()
    assert data["questionnaire"] == {"id": "tiny", "version": "1"}
    org = data["organisations"][0]
    assert {
        "organisation_id",
        "n_respondents",
        "global",
        "level",
        "family",
        "borderline",
        "axes",
        "dimensions",
    } <= set(org)
    assert set(org["axes"]) == {"tech", "transfo"}
    assert set(org["dimensions"]["A"]) >= {"score", "level", "coverage"}
    # a_scale DK: A coverage 5 / 6
    assert org["dimensions"]["A"]["coverage"] == pytest.approx(5 / 6)
    assert isinstance(org["global"], float)


def test_organisation_table_is_the_same_from_the_result_and_from_its_file():
    import pandas as pd

    result = score_rows(
        one_respondent({**FULL_A, **FULL_B}, org="O1") + one_respondent({**FULL_B}, org="O2")
    )
    from_result = result.organisation_table()
    from_file = result.to_file().organisation_table()
    assert list(from_result.columns) == [
        "organisation_id",
        "global",
        "level",
        "family",
        "tech",
        "transfo",
        "A",
        "B",
    ]
    # the file's scores are rounded to 10 decimals
    pd.testing.assert_frame_equal(
        from_result, from_file[from_result.columns], check_dtype=False, atol=1e-9, rtol=0
    )
    assert from_result.loc[1, "level"] is None  # O2 lacks A: no global, no level
