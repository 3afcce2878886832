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


def test_population_change_adds_the_variances(waves):
    previous, current = waves
    result = compare_waves(previous, current, "score", id_column="cds")
    first, second = previous.mean("score"), current.mean("score")
    assert result.population.value == pytest.approx(second.value - first.value)
    assert result.population.se == pytest.approx(math.hypot(first.se, second.se))
    assert result.population.ci_low == pytest.approx(
        result.population.value - 1.959963984540054 * result.population.se
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
    assert result.panel.se < result.population.se / 3
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
