"""Point estimates and their variances for a design state: means, totals, shares, quantiles.

Domains (R `subset` / `svyby`) keep the whole design: a value outside the domain, or missing,
is set to zero in the influence values, never dropped, so that every PSU and stratum of the
sample, and every calibration residual, still enters the variance.

Design effects, as R `svymean(..., deff=)`: deff = V / V_srs with
    V_srs(mean) = s^2 / n * (1 - n / N_hat)  ('wor')   or  s^2 / n  ('wr'),
    V_srs(total) = N_hat^2 V_srs(mean),
s^2 the weighted variance with the n / (n - 1) divisor, n the respondents of the domain and
N_hat the sum of their weights. With 'wor', N_hat must exceed n.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from barometre.errors import StatisticsError
from barometre.stats.calibration import FittedCalibration
from barometre.stats.intervals import (
    critical,
    korn_graubard_interval,
    logit_interval,
    student_interval,
    wald_share_interval,
    weighted_quantile,
)
from barometre.stats.linearisation import linearised_variance
from barometre.stats.replicates import ReplicateScheme
from barometre.stats.results import DeffReference, Estimate, ShareMethod, Statistic
from barometre.stats.structure import SamplingStructure

#: Relative tolerance of the rank of replicate weights (R `degf.svyrep.design`: `qr(tol=1e-5)`).
RANK_TOLERANCE = 1e-5
#: R `svyquantile.svyrep.design` with `interval.type="quantile"` (the replicate quantiles, as
#: here) warns "Jackknife replicate weights may not give valid standard errors for quantiles".
JACKKNIFE_QUANTILE_WARNING = (
    "Jackknife replicate weights may not give valid standard errors for quantiles (as R "
    "svyquantile warns): the delete-one jackknife is inconsistent for a quantile, so this "
    "standard error and interval are unreliable; use the bootstrap or linearisation "
    "(Woodruff's interval) for quantiles."
)


class QuantileVarianceWarning(UserWarning):
    """A quantile's variance from jackknife replicates, which are not valid for quantiles."""


@dataclass(eq=False)
class RankCache:
    """The rank of `replicates` (one design's replicate weights) restricted to each set of rows
    asked: every domain of the design, and every union of two domains a contrast asks, shares
    the one matrix, so each set of rows is decomposed once (the same number every time)."""

    replicates: np.ndarray
    ranks: dict[bytes, int] = field(default_factory=dict)

    def rank(self, rows: np.ndarray) -> int:
        key = np.packbits(rows).tobytes() + len(rows).to_bytes(8, "little")
        if key not in self.ranks:
            self.ranks[key] = replicate_rank(self.replicates[rows])
        return self.ranks[key]


def replicate_rank(replicates: np.ndarray) -> int:
    """The rank of a matrix of replicate weights (R `qr(..., tol=1e-5)$rank`): its singular
    values above `RANK_TOLERANCE` times the largest."""
    if replicates.size == 0:
        return 0
    # The squared singular values are the eigenvalues of the smaller Gram matrix (faster
    # than an SVD; their absolute error, ~1e-16 of the largest, is far below the 1e-10
    # relative threshold of the squared tolerance).
    rows, columns = replicates.shape
    gram = replicates @ replicates.T if rows <= columns else replicates.T @ replicates
    squared = np.linalg.eigvalsh(gram)
    largest = float(squared[-1])
    return int((squared > RANK_TOLERANCE**2 * largest).sum()) if largest > 0 else 0


@dataclass(frozen=True, eq=False)
class DesignState:
    """Everything a design knows; `SurveyDesign` wraps it and never mutates it."""

    data: pd.DataFrame
    base_weights: np.ndarray
    weights: np.ndarray
    structure: SamplingStructure
    steps: tuple[FittedCalibration, ...]
    domain: np.ndarray
    scheme: ReplicateScheme | None = None
    replicate_weights: np.ndarray | None = None
    #: The ranks of `replicate_weights` by set of rows, shared by the states derived from
    #: this one (domains); used only while it holds the same replicate weights.
    ranks: RankCache | None = field(default=None, repr=False)

    @property
    def variance_method(self) -> str:
        return "linearisation" if self.scheme is None else self.scheme.describe()

    @cached_property
    def degrees_of_freedom(self) -> float:
        """The design degrees of freedom of the domain, R `degf()` of the domain's subset design.

        Linearisation (R `degf.survey.design2`): PSUs holding a row of the domain minus the
        strata of those PSUs. Replicate weights (R `degf.svyrep.design`, after `[.svyrep.design`
        keeps the domain's rows): the rank of the domain's replicate weights (R: `qr(...,
        tol=1e-5)$rank`; here the singular values above 1e-5 times the largest) minus 1. Rows
        of the domain without a value of the analysed column still count, as in R.
        """
        if self.scheme is None:
            # R `degf.survey.design2` counts the rows whose weight is not 0.
            return float(self.structure.degrees_of_freedom(self.domain & (self.weights != 0)))
        replicates = _replicate_weights(self)
        if self.ranks is not None and self.ranks.replicates is replicates:
            rank = self.ranks.rank(self.domain)
        else:
            rank = replicate_rank(replicates[self.domain])
        return float(max(rank - 1, 0))


def mean_estimate(
    state: DesignState, y: np.ndarray, deff: DeffReference | None, label: str
) -> Estimate:
    rows = _rows(state, y, label)
    value, variance = _ratio(state, np.where(rows, y, 0.0), rows.astype(float))
    se = float(np.sqrt(variance))
    low, high, used = student_interval(value, se, _df(state, rows))
    return _estimate(state, "mean", rows, y, value, se, low, high, used, deff, variance)


def total_estimate(
    state: DesignState, y: np.ndarray, deff: DeffReference | None, label: str
) -> Estimate:
    rows = _rows(state, y, label)
    value, variance = _ratio(state, np.where(rows, y, 0.0), None)
    se = float(np.sqrt(variance))
    low, high, used = student_interval(value, se, _df(state, rows))
    return _estimate(state, "total", rows, y, value, se, low, high, used, deff, variance)


def share_estimate(
    state: DesignState,
    indicator: np.ndarray,
    method: ShareMethod,
    deff: DeffReference | None,
    label: str,
) -> Estimate:
    rows = _rows(state, indicator, label)
    value, variance = _ratio(state, np.where(rows, indicator, 0.0), rows.astype(float))
    value = min(max(value, 0.0), 1.0)
    se = float(np.sqrt(variance))
    n, df = int(rows.sum()), _df(state, rows)
    if method == "logit":
        low, high, used = logit_interval(value, se, n, df)
    elif method == "korn-graubard":
        (low, high), used = korn_graubard_interval(value, se, n, df), "korn-graubard"
    else:
        (low, high), used = wald_share_interval(value, se, df), "wald (student)"
    return _estimate(state, "share", rows, indicator, value, se, low, high, used, deff, variance)


def quantile_estimate(state: DesignState, y: np.ndarray, q: float, label: str) -> Estimate:
    rows = _rows(state, y, label)
    values, weights = y[rows], state.weights[rows]
    value = weighted_quantile(values, weights, q)
    df = _df(state, rows)
    if state.scheme is None:
        low, high, method = _woodruff(state, y, rows, value, q, df)
        se = (high - low) / (2.0 * critical(df))
    else:
        if state.scheme.kind != "bootstrap":
            # R `svyquantile` on a jackknife design warns and goes on; so does the project.
            warnings.warn(JACKKNIFE_QUANTILE_WARNING, QuantileVarianceWarning, stacklevel=3)
        replicates = _replicate_weights(state)[rows]
        thetas = np.array(
            [
                weighted_quantile(values, replicates[:, r], q)
                if replicates[:, r].sum() > 0
                else np.nan
                for r in range(replicates.shape[1])
            ]
        )
        se = float(np.sqrt(_replicate_variance(state.scheme, thetas, value)))
        low, high = value - critical(df) * se, value + critical(df) * se
        method = "replicate (student)"
    unweighted = weighted_quantile(values, np.ones(len(values)), q)
    return Estimate(
        statistic="quantile",
        value=value,
        se=float(se),
        ci_low=float(low),
        ci_high=float(high),
        n=int(rows.sum()),
        unweighted_value=unweighted,
        weighted_n=float(weights.sum()),
        df=df,
        ci_method=method,
        variance_method=state.variance_method,
    )


def _woodruff(state, y, rows, value, q, df):
    """R svyquantile interval.type="mean": interval for F(value), mapped back by the qrule."""
    below = np.where(rows, (y <= value).astype(float), 0.0)
    p, variance = _ratio(state, below, rows.astype(float))
    half = critical(df) * np.sqrt(variance)
    values, weights = y[rows], state.weights[rows]
    low = weighted_quantile(values, weights, min(max(p - half, 0.0), 1.0))
    high = weighted_quantile(values, weights, min(max(p + half, 0.0), 1.0))
    return low, high, "woodruff"


def _rows(state: DesignState, y: np.ndarray, label: str) -> np.ndarray:
    # A row of weight 0 is sampled but outside the estimate (R: it counts among the PSUs of
    # its stratum for the variance, not among the respondents of the domain).
    rows = state.domain & np.isfinite(y) & (state.weights != 0)
    if not rows.any():
        raise StatisticsError(f"No respondent with a value of {label} in this domain.")
    return rows


def _ratio(state: DesignState, numerator: np.ndarray, denominator: np.ndarray | None):
    """sum(w a) / sum(w b) (or sum(w a) without b) and its variance."""
    w = state.weights
    top = float(w @ numerator)
    if denominator is None:
        value, z = top, w * numerator
    else:
        bottom = float(w @ denominator)
        value = top / bottom
        z = w * (numerator - value * denominator) / bottom
    if state.scheme is None:
        return value, linearised_variance(z, state.structure, state.steps)
    replicates = _replicate_weights(state)
    with np.errstate(invalid="ignore", divide="ignore"):
        thetas = replicates.T @ numerator
        if denominator is not None:
            thetas = thetas / (replicates.T @ denominator)
    return value, _replicate_variance(state.scheme, thetas, value)


def _replicate_weights(state: DesignState) -> np.ndarray:
    """The replicate weights of a replicate design (its scheme is set)."""
    if state.replicate_weights is None:
        raise StatisticsError("A replicate design without replicate weights.")
    return state.replicate_weights


def _replicate_variance(scheme: ReplicateScheme, thetas: np.ndarray, value: float) -> float:
    """R svrVar: replicates where the statistic is undefined (empty domain) are dropped."""
    keep = np.isfinite(thetas)
    if keep.all():
        return float(scheme.variance(thetas, value)[0])
    kept = ReplicateScheme(
        scheme.kind,
        scheme.factors[:, keep],
        scheme.scale,
        scheme.rscales[keep],
        scheme.mse,
        scheme.seed,
    )
    return float(kept.variance(thetas[keep], value)[0])


def _df(state: DesignState, rows: np.ndarray) -> float:
    """The degrees of freedom of an estimate: those of its domain's design (R `degf()` of the
    subset design, `DesignState.degrees_of_freedom`), whether or not each row of the domain
    has a value of the analysed column (`rows`, unused: R counts the domain, not the values)."""
    del rows
    return state.degrees_of_freedom


def _estimate(
    state: DesignState,
    statistic: Statistic,
    rows: np.ndarray,
    y: np.ndarray,
    value: float,
    se: float,
    low: float,
    high: float,
    ci_method: str,
    deff: DeffReference | None,
    variance: float,
) -> Estimate:
    values, weights = y[rows], state.weights[rows]
    unweighted = float(values.sum() if statistic == "total" else values.mean())
    effect = None if deff is None else design_effect(state, rows, y, variance, deff, statistic)
    return Estimate(
        statistic=statistic,
        value=float(value),
        se=se,
        ci_low=float(low),
        ci_high=float(high),
        n=int(rows.sum()),
        unweighted_value=unweighted,
        weighted_n=float(weights.sum()),
        df=_df(state, rows),
        ci_method=ci_method,
        variance_method=state.variance_method,
        deff=effect,
        deff_reference=deff,
    )


def design_effect(
    state: DesignState,
    rows: np.ndarray,
    y: np.ndarray,
    variance: float,
    reference: DeffReference,
    statistic: Statistic,
) -> float:
    """V / V_srs as R; NaN when the SRS variance is 0 or undefined (n < 2, constant values)."""
    values, weights = y[rows], state.weights[rows]
    n, total_weight = len(values), float(weights.sum())
    if n < 2 or np.ptp(values) == 0:
        # A constant has no SRS variance: its design effect is undefined (NaN, null in files),
        # not the 0 that rounding would give.
        return float("nan")
    mean = float(weights @ values) / total_weight
    s2 = float(weights @ (values - mean) ** 2) / total_weight * n / (n - 1)
    srs = s2 / n
    if reference == "wor":
        if total_weight <= n:
            raise StatisticsError(
                f"deff='wor' needs the weights of the domain to add up to more than its {n} "
                f"respondents (they add up to {total_weight:g}): the weights look rescaled, or "
                "the domain is a census. Use deff='wr', or weights that add up to the "
                "population size."
            )
        srs *= 1.0 - n / total_weight
    if statistic == "total":
        srs *= total_weight**2
    return float(variance / srs) if srs > 0 else float("nan")
