"""Change between waves: population change (independent samples) and panel change (overlap).

Two "waves" of the stratified API sample: the 1999 score (api99) and the 2000 score (api00) of
the same schools; R's apistrat also carries growth = api00 - api99, so the panel change must be
exactly the design-based mean of growth (R: svymean(~growth, dstrat)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from barometre.errors import StatisticsError
from barometre.stats import SurveyDesign, compare_waves


@pytest.fixture(scope="module")
def waves(apistrat):
    previous = SurveyDesign(
        apistrat.assign(score=apistrat["api99"]), weights="pw", strata="stype", fpc="fpc"
    )
    current = SurveyDesign(
        apistrat.assign(score=apistrat["api00"]), weights="pw", strata="stype", fpc="fpc"
    )
    return previous, current


def test_population_change_of_a_full_panel_is_the_mean_of_the_growth(waves, dstrat):
    """The same 200 schools in both waves, with the same weights: theta_2 - theta_1 is the mean
    of growth, and V_1 + V_2 - 2 C must be its variance (R: svymean(~growth, dstrat)), since
    z(growth) = z_2 - z_1 row by row and C is the covariance of the bivariate design."""
    previous, current = waves
    result = compare_waves(previous, current, "score", id_column="cds")
    first, second = previous.mean("score"), current.mean("score")
    growth = dstrat.mean("growth")
    assert result.population.value == pytest.approx(second.value - first.value)
    assert result.population.se == pytest.approx(growth.se, rel=1e-12)
    assert result.population.shared == 200
    # far below the independent-samples SE that ignores the overlap
    assert result.population.se < math.hypot(first.se, second.se) / 3
    # Student interval at the stacked design's df: 200 schools - 3 strata
    assert result.population.df == 197
    t = 1.9720790  # R: qt(0.975, 197) = 1.972079
    assert result.population.ci_low == pytest.approx(
        result.population.value - t * result.population.se, rel=1e-7
    )


def test_panel_change_is_the_mean_of_the_paired_differences(waves, dstrat, apistrat):
    previous, current = waves
    assert (apistrat["growth"] == apistrat["api00"] - apistrat["api99"]).all()
    result = compare_waves(previous, current, "score", id_column="cds")
    growth = dstrat.mean("growth")
    assert result.panel.value == pytest.approx(growth.value)
    assert result.panel.se == pytest.approx(growth.se)
    assert result.panel.n == 200
    # the overlap makes the panel change far more precise than two independent samples
    first, second = previous.mean("score"), current.mean("score")
    assert result.panel.se < math.hypot(first.se, second.se) / 3
    assert result.panel_current_mean - result.panel_previous_mean == pytest.approx(growth.value)


def test_partial_overlap_is_a_domain_of_the_current_wave(apistrat, dstrat):
    kept = apistrat.iloc[::2]
    previous = SurveyDesign(
        kept.assign(score=kept["api99"]), weights="pw", strata="stype", fpc="fpc"
    )
    current = SurveyDesign(
        apistrat.assign(score=apistrat["api00"]), weights="pw", strata="stype", fpc="fpc"
    )
    result = compare_waves(previous, current, "score", id_column="cds")
    in_panel = np.zeros(len(apistrat), dtype=bool)
    in_panel[::2] = True
    expected = dstrat.subset(in_panel).mean("growth")
    assert result.panel.n == 100
    assert result.panel.value == pytest.approx(expected.value)
    assert result.panel.se == pytest.approx(expected.se)


def test_repeated_ids_are_an_error(waves, apistrat):
    previous, _ = waves
    doubled = apistrat.assign(score=apistrat["api00"], cds=1)
    current = SurveyDesign(doubled, weights="pw", strata="stype", fpc="fpc")
    with pytest.raises(StatisticsError, match=r"repeat in the current wave"):
        compare_waves(previous, current, "score", id_column="cds")
