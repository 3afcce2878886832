"""Cronbach's alpha (Feldt interval), omega total from a one-factor model, item analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometre.errors import StatisticsError
from barometre.stats import (
    cronbach_alpha,
    cronbach_alpha_from_covariance,
    dimension_reliability,
    omega_from_correlation,
    omega_total,
)

LOADINGS = np.array([0.8, 0.7, 0.6, 0.5])


def implied_correlation(loadings: np.ndarray) -> np.ndarray:
    """Correlation matrix of a one-factor model with unit variances."""
    matrix = np.outer(loadings, loadings)
    np.fill_diagonal(matrix, 1.0)
    return matrix


class TestOneFactorPopulation:
    """Loadings 0.8, 0.7, 0.6, 0.5: sum 2.6, uniquenesses sum 2.26, so omega = 6.76 / 9.02 =
    0.74945; mean inter-item correlation 2.51 / 6 = 0.41833, standardised alpha
    4 * 0.41833 / (1 + 3 * 0.41833) = 0.74205."""

    def test_omega_total(self):
        result = omega_from_correlation(implied_correlation(LOADINGS))
        assert result.omega_total == pytest.approx(0.74945, abs=5e-6)
        np.testing.assert_allclose(result.loadings, LOADINGS, atol=1e-6)
        np.testing.assert_allclose(result.uniquenesses, 1 - LOADINGS**2, atol=1e-6)

    def test_standardised_alpha(self):
        result = cronbach_alpha_from_covariance(implied_correlation(LOADINGS))
        assert result.standardized_alpha == pytest.approx(0.74205, abs=5e-6)
        assert result.alpha == pytest.approx(0.74205, abs=5e-6)  # unit variances
        assert result.ci_low is None and result.ci_high is None  # no n, no interval

    def test_large_simulated_sample(self):
        rng = np.random.default_rng(20240611)
        factor = rng.normal(size=(20000, 1))
        noise = rng.normal(size=(20000, 4)) * np.sqrt(1 - LOADINGS**2)
        items = pd.DataFrame(factor * LOADINGS + noise, columns=["q1", "q2", "q3", "q4"])
        assert omega_total(items).omega_total == pytest.approx(0.74945, abs=0.01)
        assert cronbach_alpha(items).standardized_alpha == pytest.approx(0.74205, abs=0.01)


class TestFeldtInterval:
    def test_published_example(self):
        # Chris Evans's feldt1.return(0.913, 873, 20): 0.9044024 to 0.9211588 (MRC CBU stats
        # wiki, "R code for computing confidence intervals for Cronbach's alpha").
        k, alpha = 20, 0.913
        r = alpha / (k - (k - 1) * alpha)  # compound symmetry with this alpha
        matrix = np.full((k, k), r)
        np.fill_diagonal(matrix, 1.0)
        result = cronbach_alpha_from_covariance(matrix, n=873)
        assert result.alpha == pytest.approx(0.913)
        assert result.ci_low == pytest.approx(0.9044024, abs=5e-8)
        assert result.ci_high == pytest.approx(0.9211588, abs=5e-8)


class TestItemAnalysis:
    # 5 respondents x 3 items; sums 6, 9, 6, 12, 12
    ITEMS = pd.DataFrame({"a": [1, 2, 2, 4, 4], "b": [2, 3, 1, 4, 5], "c": [3, 4, 3, 4, 3]})

    def test_alpha_by_hand(self):
        # variances (n - 1 divisor): a 1.8, b 2.5, c 0.3; total score 6, 9, 6, 12, 12 has
        # mean 9 and variance (9 + 0 + 9 + 9 + 9) / 4 = 9 -> alpha = 1.5 * (1 - 4.6 / 9)
        result = cronbach_alpha(self.ITEMS)
        assert result.alpha == pytest.approx(1.5 * (1 - 4.6 / 9))
        assert result.n == 5 and result.k == 3 and result.n_dropped == 0

    def test_item_rest_and_alpha_if_deleted(self):
        result = cronbach_alpha(self.ITEMS)
        by_item = {s.item: s for s in result.items}
        # c = 3, 4, 3, 4, 3 (mean 3.4) against a + b = 3, 5, 3, 8, 9 (mean 5.6): products of
        # deviations 1.04, -0.36, 1.04, 1.44, -1.36 -> cov 1.8 / 4 = 0.45; var(c) 0.3,
        # var(a + b) 7.8
        assert by_item["c"].item_rest_correlation == pytest.approx(0.45 / np.sqrt(0.3 * 7.8))
        # without c: var(a) 1.8 + var(b) 2.5, var(a + b) 7.8 -> alpha = 2 * (1 - 4.3 / 7.8)
        assert by_item["c"].alpha_if_deleted == pytest.approx(2 * (1 - 4.3 / 7.8))
        assert result.weakest(1)[0].item == "c"

    def test_listwise_deletion(self):
        items = self.ITEMS.astype(float)
        items.loc[0, "a"] = np.nan
        result = cronbach_alpha(items)
        assert result.n == 4 and result.n_dropped == 1

    def test_constant_item_is_an_error(self):
        with pytest.raises(StatisticsError, match=r"do not vary"):
            cronbach_alpha(self.ITEMS.assign(c=3))


def test_dimension_reliability():
    rng = np.random.default_rng(5)
    factor = rng.normal(size=(300, 1))
    strong = pd.DataFrame(
        factor * LOADINGS + rng.normal(size=(300, 4)) * 0.6, columns=["s1", "s2", "s3", "s4"]
    )
    pair = strong[["s1", "s2"]].rename(columns={"s1": "p1", "s2": "p2"})
    records = dimension_reliability({"strategy": strong, "data": pair}, weakest=2)
    assert [r.dimension for r in records] == ["strategy", "data"]
    strategy, data = records
    assert strategy.alpha_ci_low < strategy.alpha < strategy.alpha_ci_high
    assert strategy.omega is not None and 0 < strategy.omega < 1
    assert [s.item for s in strategy.weakest_items] == ["s4", "s3"]  # lowest loadings
    assert data.omega is None and data.omega_note == "omega needs at least 3 items"
