"""Invariants of the estimation API, checked on generated samples (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.stats import SurveyDesign
from tests.stats.survey_strategies import calibration_problems, designs

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sums(weights, data, column, levels):
    return {level: weights[(data[column] == level).to_numpy()].sum() for level in levels}


@SETTINGS
@given(calibration_problems())
def test_poststratified_cells_equal_the_targets(problem):
    data, cells, _, _ = problem
    design = SurveyDesign(data, weights="w").poststratify(["a", "b"], cells)
    for (a, b), target in cells.items():
        rows = ((data["a"] == a) & (data["b"] == b)).to_numpy()
        assert design.weights[rows].sum() == pytest.approx(target, rel=1e-9)


@SETTINGS
@given(calibration_problems(), st.sampled_from(["rake", "linear", "raking"]))
def test_calibrated_margins_equal_the_targets(problem, method):
    data, _, margin_a, margin_b = problem
    design = SurveyDesign(data, weights="w")
    margins = {"a": margin_a, "b": margin_b}
    if method == "rake":
        calibrated = design.rake(margins)
    else:
        calibrated = design.calibrate(margins, method=method)
    for column, margin in margins.items():
        achieved = sums(calibrated.weights, data, column, margin)
        for level, target in margin.items():
            assert achieved[level] == pytest.approx(target, rel=1e-8)


@SETTINGS
@given(designs())
def test_doubling_all_weights_leaves_means_unchanged(data):
    base = SurveyDesign(data, weights="w", strata="s", ids="c")
    doubled = SurveyDesign(data.assign(w=2 * data["w"]), weights="w", strata="s", ids="c")
    first, second = base.mean("y"), doubled.mean("y")
    assert second.value == pytest.approx(first.value, rel=1e-9, abs=1e-9)
    assert second.se == pytest.approx(first.se, rel=1e-7, abs=1e-9)
    assert doubled.total("y").value == pytest.approx(2 * base.total("y").value, rel=1e-9, abs=1e-9)


@SETTINGS
@given(designs(), st.randoms(use_true_random=False))
def test_shuffling_the_rows_changes_nothing(data, random):
    order = list(range(len(data)))
    random.shuffle(order)
    shuffled = data.iloc[order].reset_index(drop=True)
    first = SurveyDesign(data, weights="w", strata="s", ids="c").mean_by("y", "g")
    second = SurveyDesign(shuffled, weights="w", strata="s", ids="c").mean_by("y", "g")
    assert list(first) == list(second)
    for key in first:
        assert second[key].value == pytest.approx(first[key].value, rel=1e-9, abs=1e-9)
        assert second[key].se == pytest.approx(first[key].se, rel=1e-7, abs=1e-9)


@SETTINGS
@given(designs(), st.sampled_from(["logit", "korn-graubard"]), st.sampled_from(["a", "b", "z"]))
def test_share_intervals_stay_in_the_unit_interval(data, method, level):
    design = SurveyDesign(data, weights="w", strata="s", ids="c")
    for estimate in [
        design.share("g", level, method=method),
        *design.share_by("g", level, "s", method=method).values(),
    ]:
        assert 0.0 <= estimate.ci_low <= estimate.value <= estimate.ci_high <= 1.0


@SETTINGS
@given(designs())
def test_a_mean_lies_between_the_extremes(data):
    estimate = SurveyDesign(data, weights="w", strata="s", ids="c").mean("y")
    observed = data["y"].dropna()
    assert observed.min() - 1e-9 <= estimate.value <= observed.max() + 1e-9
    assert estimate.se >= 0 and np.isfinite(estimate.se)
