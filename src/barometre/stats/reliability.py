"""Reliability of a scale: Cronbach's alpha with Feldt's interval, McDonald's omega, item analysis.

Items are a DataFrame of respondents x items (numeric). Missing values: listwise deletion, the
respondents with a missing item are left out and counted in `n_dropped`.

- alpha = k / (k - 1) * (1 - sum var(item) / var(sum of items)), from the covariance matrix;
  standardised alpha = k r / (1 + (k - 1) r), r the mean inter-item correlation.
- Feldt (1965) interval: (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1)), so
  [1 - (1 - alpha_hat) F_{0.975}, 1 - (1 - alpha_hat) F_{0.025}] (as `psych::alpha.ci`).
- item-rest correlation: correlation of an item with the sum of the other items;
  alpha if deleted: alpha of the other k - 1 items.
- omega total = (sum lambda)^2 / ((sum lambda)^2 + sum psi), lambda and psi the standardised
  loadings and uniquenesses of a one-factor model fitted by maximum likelihood to the
  correlation matrix (see `factor.fit_one_factor`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from barometre.errors import StatisticsError
from barometre.stats.arguments import check_probability, fail
from barometre.stats.factor import fit_one_factor


@dataclass(frozen=True)
class ItemStatistics:
    item: str
    mean: float | None
    sd: float | None
    item_rest_correlation: float
    alpha_if_deleted: float


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of k items over n respondents, with its Feldt interval."""

    alpha: float
    ci_low: float | None
    ci_high: float | None
    confidence: float
    standardized_alpha: float
    n: int | None
    k: int
    n_dropped: int
    items: tuple[ItemStatistics, ...]

    def weakest(self, count: int = 3) -> tuple[ItemStatistics, ...]:
        """Items with the lowest item-rest correlations, weakest first."""
        return tuple(sorted(self.items, key=lambda s: s.item_rest_correlation)[:count])


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total from a one-factor model (standardised items)."""

    omega_total: float
    items: tuple[str, ...]
    loadings: tuple[float, ...]
    uniquenesses: tuple[float, ...]
    n: int | None
    n_dropped: int


def cronbach_alpha(items: pd.DataFrame, confidence: float = 0.95) -> AlphaResult:
    """Alpha, standardised alpha, Feldt interval and item analysis of the complete cases."""
    complete, dropped = _complete_cases(items, "cronbach_alpha", minimum_items=2)
    values = complete.to_numpy(dtype=float)
    if len(values) < 3:
        raise StatisticsError("Cronbach's alpha needs at least 3 respondents with every item.")
    covariance = np.cov(values, rowvar=False)
    return _alpha(
        covariance,
        list(complete.columns),
        len(values),
        confidence,
        dropped,
        values.mean(axis=0),
        values.std(axis=0, ddof=1),
    )


def cronbach_alpha_from_covariance(
    covariance, n: int | None = None, confidence: float = 0.95
) -> AlphaResult:
    """Alpha from a covariance (or correlation) matrix; the interval needs `n` respondents."""
    matrix, names = _square(covariance, "cronbach_alpha_from_covariance")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 3):
        fail("n", "cronbach_alpha_from_covariance", "None or an integer >= 3", n)
    return _alpha(matrix, names, n, confidence, 0, None, None)


def omega_total(items: pd.DataFrame) -> OmegaResult:
    """Omega total of the complete cases (one-factor ML model on the correlation matrix)."""
    complete, dropped = _complete_cases(items, "omega_total", minimum_items=3)
    values = complete.to_numpy(dtype=float)
    if len(values) <= values.shape[1]:
        raise StatisticsError("Omega needs more complete respondents than items.")
    correlation = np.corrcoef(values, rowvar=False)
    return _omega(correlation, list(complete.columns), len(values), dropped)


def omega_from_correlation(correlation, n: int | None = None) -> OmegaResult:
    """Omega total from a correlation (or covariance, standardised first) matrix."""
    matrix, names = _square(correlation, "omega_from_correlation")
    sd = np.sqrt(np.diag(matrix))
    return _omega(matrix / np.outer(sd, sd), names, n, 0)


def _alpha(covariance, names, n, confidence, dropped, means, sds) -> AlphaResult:
    check_probability(confidence, "confidence", "cronbach_alpha")
    k = covariance.shape[0]
    alpha = _alpha_value(covariance)
    sd = np.sqrt(np.diag(covariance))
    correlation = covariance / np.outer(sd, sd)
    mean_r = (correlation.sum() - k) / (k * (k - 1))
    low = high = None
    if n is not None:
        tail = (1.0 - confidence) / 2.0
        df1, df2 = n - 1, (n - 1) * (k - 1)
        low = float(1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - tail, df1, df2))
        high = float(1.0 - (1.0 - alpha) * stats.f.ppf(tail, df1, df2))
    items = []
    for i, name in enumerate(names):
        others = [j for j in range(k) if j != i]
        rest_var = covariance[np.ix_(others, others)].sum()
        rest_cov = covariance[i, others].sum()
        items.append(
            ItemStatistics(
                item=str(name),
                mean=None if means is None else float(means[i]),
                sd=None if sds is None else float(sds[i]),
                item_rest_correlation=float(rest_cov / np.sqrt(covariance[i, i] * rest_var)),
                alpha_if_deleted=(
                    float(_alpha_value(covariance[np.ix_(others, others)]))
                    if k > 2
                    else float("nan")
                ),
            )
        )
    return AlphaResult(
        alpha=float(alpha),
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        standardized_alpha=float(k * mean_r / (1.0 + (k - 1) * mean_r)),
        n=n,
        k=k,
        n_dropped=dropped,
        items=tuple(items),
    )


def _alpha_value(covariance: np.ndarray) -> float:
    k = covariance.shape[0]
    total = covariance.sum()
    if total <= 0:
        raise StatisticsError("The sum of the items has no variance: alpha is undefined.")
    return k / (k - 1.0) * (1.0 - np.trace(covariance) / total)


def _omega(correlation, names, n, dropped) -> OmegaResult:
    fit = fit_one_factor(correlation)
    common = fit.loadings.sum() ** 2
    return OmegaResult(
        omega_total=float(common / (common + fit.uniquenesses.sum())),
        items=tuple(str(x) for x in names),
        loadings=tuple(float(x) for x in fit.loadings),
        uniquenesses=tuple(float(x) for x in fit.uniquenesses),
        n=n,
        n_dropped=dropped,
    )


def _complete_cases(items, owner: str, minimum_items: int):
    if not isinstance(items, pd.DataFrame):
        fail(
            "items",
            owner,
            "a pandas DataFrame of respondents x items",
            type(items).__name__,
            kind=TypeError,
        )
    if items.shape[1] < minimum_items:
        fail(
            "items",
            owner,
            f"a DataFrame with at least {minimum_items} item columns",
            f"{items.shape[1]} columns",
        )
    numeric = items.apply(pd.to_numeric, errors="coerce")
    if (numeric.isna() & items.notna()).any().any():
        fail("items", owner, "a DataFrame of numeric item scores", "non-numeric values")
    complete = numeric.dropna()
    constant = [c for c in complete.columns if complete[c].nunique() < 2]
    if constant:
        raise StatisticsError(f"Item(s) {constant} do not vary among the complete cases.")
    return complete, len(items) - len(complete)


def _square(matrix, owner: str):
    names = list(matrix.columns) if isinstance(matrix, pd.DataFrame) else None
    values = np.asarray(matrix, dtype=float)
    k = values.shape[0] if values.ndim == 2 else 0
    if (
        values.ndim != 2
        or values.shape != (k, k)
        or k < 2
        or not np.allclose(values, values.T)
        or np.any(np.diag(values) <= 0)
    ):
        fail(
            "covariance",
            owner,
            "a symmetric k x k matrix (k >= 2) with positive diagonal",
            f"shape {values.shape}",
        )
    return values, names if names is not None else [f"item{i + 1}" for i in range(k)]


@dataclass(frozen=True)
class DimensionReliability:
    """Reliability of one dimension's items: alpha with its interval, omega, weakest items.

    omega is None (with `omega_note`) when it cannot be computed: fewer than 3 items, or a
    one-factor model that does not converge.
    """

    dimension: str
    n: int
    k: int
    n_dropped: int
    alpha: float
    alpha_ci_low: float
    alpha_ci_high: float
    omega: float | None
    omega_note: str | None
    weakest_items: tuple[ItemStatistics, ...]


def dimension_reliability(
    items_by_dimension, weakest: int = 3, confidence: float = 0.95
) -> tuple[DimensionReliability, ...]:
    """For each dimension, a respondents x items DataFrame -> its reliability record."""
    if not hasattr(items_by_dimension, "items"):
        fail(
            "items_by_dimension",
            "dimension_reliability",
            "a mapping {dimension: DataFrame of respondents x items}",
            type(items_by_dimension).__name__,
            kind=TypeError,
        )
    records = []
    for dimension, items in items_by_dimension.items():
        alpha = cronbach_alpha(items, confidence)
        # From the items' data, n is known and so is the Feldt interval.
        assert alpha.ci_low is not None and alpha.ci_high is not None
        omega, note = None, None
        if alpha.k < 3:
            note = "omega needs at least 3 items"
        else:
            try:
                omega = omega_total(items).omega_total
            except StatisticsError as error:
                note = str(error)
        records.append(
            DimensionReliability(
                dimension=str(dimension),
                n=alpha.n or 0,
                k=alpha.k,
                n_dropped=alpha.n_dropped,
                alpha=alpha.alpha,
                alpha_ci_low=float(alpha.ci_low),
                alpha_ci_high=float(alpha.ci_high),
                omega=omega,
                omega_note=note,
                weakest_items=alpha.weakest(weakest),
            )
        )
    return tuple(records)
