"""Confidence intervals and the quantile rule, following R `survey`.

- Means and totals: Wald interval value +/- t SE with Student's t at the design degrees of
  freedom of the domain (R `confint(svymean(...), df=degf(design))`, `degf` of the domain's
  subset design), so that a domain of 5 organisations gets t_4 and not z; the normal quantile
  when the domain leaves no degree of freedom (df < 1).
- Shares (R `svyciprop`): "logit", a Wald interval on the log-odds scale with
  se(logit p) = se(p) / (p (1 - p)) and Student's t with the design degrees of freedom;
  "korn-graubard" (R method "beta", Korn and Graubard 1998), a Clopper-Pearson interval with the
  effective sample size n* = p (1 - p) / var(p) times (t_{n-1} / t_df)^2; "wald" on the
  probability scale with Student's t. Logit and Korn-Graubard intervals lie in [0, 1]. At
  p = 0 or 1, where R's methods fail, the Korn-Graubard interval with n* = n is used.
- Quantiles: R's qrule "math", the smallest value whose weighted distribution function reaches p
  (reaching is tested with a relative tolerance of 1e-12, so that sums of equal weights that
  should hit p exactly are not defeated by rounding).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

LEVEL = 0.95
ALPHA = 1.0 - LEVEL
Z = float(stats.norm.ppf(1.0 - ALPHA / 2.0))
#: Relative tolerance when comparing the cumulative weight share with p (rounding of sums).
QUANTILE_TOLERANCE = 1e-12


def critical(df: float) -> float:
    """Two-sided 95 % critical value: Student's t with df degrees of freedom, normal if df is
    infinite or below 1 (a single PSU leaves no degree of freedom)."""
    if not math.isfinite(df) or df < 1:
        return Z
    return float(stats.t.ppf(1.0 - ALPHA / 2.0, df))


def normal_interval(value: float, se: float) -> tuple[float, float]:
    return value - Z * se, value + Z * se


def student_interval(value: float, se: float, df: float) -> tuple[float, float, str]:
    """value +/- t_df SE (normal below 1 degree of freedom); returns the method used."""
    if not math.isfinite(df) or df < 1:
        low, high = normal_interval(value, se)
        return low, high, "wald (normal)"
    half = critical(df) * se
    return value - half, value + half, "wald (student)"


def wald_share_interval(p: float, se: float, df: float) -> tuple[float, float]:
    half = critical(df) * se
    return p - half, p + half


def logit_interval(p: float, se: float, n: int, df: float) -> tuple[float, float, str]:
    """Interval on the log-odds scale (R svyciprop method "logit"); returns the method used."""
    if p <= 0.0 or p >= 1.0:
        low, high = korn_graubard_interval(p, se, n, df)
        return low, high, "korn-graubard (share at a bound)"
    if se == 0.0:
        return p, p, "logit"
    centre = math.log(p / (1.0 - p))
    half = critical(df) * se / (p * (1.0 - p))
    return _expit(centre - half), _expit(centre + half), "logit"


def korn_graubard_interval(p: float, se: float, n: int, df: float) -> tuple[float, float]:
    """Clopper-Pearson interval at the design-based effective sample size (R method "beta")."""
    if 0.0 < p < 1.0 and se == 0.0:
        return p, p
    # Korn and Graubard: with p = 0 or 1 use the actual sample size.
    n_eff = p * (1.0 - p) / se**2 if 0.0 < p < 1.0 else float(n)
    if n >= 2 and math.isfinite(df) and df >= 1:
        n_eff *= (stats.t.ppf(ALPHA / 2.0, n - 1) / stats.t.ppf(ALPHA / 2.0, df)) ** 2
    successes = n_eff * p
    low = 0.0 if p <= 0.0 else float(stats.beta.ppf(ALPHA / 2.0, successes, n_eff - successes + 1))
    high = (
        1.0
        if p >= 1.0
        else float(stats.beta.ppf(1.0 - ALPHA / 2.0, successes + 1, n_eff - successes))
    )
    return low, high


def weighted_quantile(values: np.ndarray, weights: np.ndarray, p: float) -> float:
    """R qrule "math": min {x : F(x) >= p}, F the weighted empirical distribution function."""
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    # F(x) >= p up to rounding: equal weights must give F = 1/2 exactly at the middle value.
    target = p * cumulative[-1] * (1.0 - QUANTILE_TOLERANCE)
    position = int(np.searchsorted(cumulative, target, side="left"))
    return float(values[order][min(position, len(values) - 1)])


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
