"""Linear combinations of estimates with their covariance (R `svycontrast`), and the covariance of
two waves' means through the organisations they share.

Domain estimates with their covariance matrix (R `svyby(..., covmat=TRUE)`, `vcov()`):

- linearisation: the influence values of the k domain estimates form a rows x k matrix Z
  (each column zero outside its domain); after the calibration residuals, the covariance is the
  cross-product of the PSU totals within strata, V = sum_h (1 - f_h) n_h / (n_h - 1)
  sum_c (Z_hc - Zbar_h)(Z_hc - Zbar_h)' (R `svyrecvar` with a matrix of influence values);
  its diagonal is each domain's variance;
- replicate weights: V = scale sum_r rscale_r (theta_r - centre)(theta_r - centre)' (R
  `svrVar`), the replicates where a domain estimate is undefined being dropped.

A contrast sum_k c_k theta_k has the variance c' V c (R `svycontrast`), a Student interval with
the design degrees of freedom of the domains it involves (their union), normal below 1.

Two waves (`overlap_covariance`): each wave is its own design (its frame, fpc and calibration);
the organisations present in both make their means covary. With s1 and s2 simple random samples
without replacement of n1 and n2 units from the same N, sharing m units (a random partition
given these sizes), Cov(ybar1, ybar2) = S12 (m / (n1 n2) - 1 / N), S12 the population covariance
of the two waves' values. S12 is estimated on the shared units from the influence values of
each wave's mean (after its calibration residuals), so that, per stratum h,

    C = sum_h (1 - n1h n2h / (m_h N_h)) m_h / (m_h - 1) sum_{i shared} (z1_i - z1bar)(z2_i - z2bar)

(bars: means over the shared units of the stratum) and V(theta2 - theta1) = V1 + V2 - 2 C. For
the mean of a domain (or of a column with missing values), z = 0 outside it, n1h, n2h and m_h
are the whole strata's sample sizes and shared counts, and every shared unit enters the sum (R's
domain convention: a domain estimate is a whole-sample statistic). Shared units in a fully
enumerated stratum of either wave are left out (no sampling variance there). With
the same units in both waves (m = n1 = n2) this is the covariance of the bivariate design,
(1 - f) n / (n - 1) sum (z1 - z1bar)(z2 - z2bar); without fpc (N infinite) it is the
with-replacement covariance of the shared units, R's stacked design `svydesign(ids=~id)` on the
`rbind` of both waves restricted to its covariance term. The derivation is in
docs/statistics.md ("Change between waves").
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from barometre.errors import StatisticsError
from barometre.stats.arguments import fail
from barometre.stats.estimators import DesignState, _replicate_weights
from barometre.stats.intervals import student_interval
from barometre.stats.linearisation import CENSUS_THRESHOLD, linearised_covariance
from barometre.stats.replicates import ReplicateScheme


@dataclass(frozen=True)
class Contrast:
    """A linear combination of estimates (R `svycontrast`) with its 95 % interval.

    value: sum_k c_k theta_k; se: sqrt(c' V c); df: design degrees of freedom of the domains
    with a non-zero coefficient (their union); ci_method: "wald (student)", or "wald (normal)"
    below 1 degree of freedom. coefficients: (domain key, coefficient) pairs, non-zero only.
    """

    value: float
    se: float
    ci_low: float
    ci_high: float
    df: float
    ci_method: str
    coefficients: tuple[tuple[Hashable, float], ...]

    @property
    def variance(self) -> float:
        return self.se**2

    @property
    def significant(self) -> bool:
        """The 95 % interval excludes 0."""
        return self.ci_low > 0.0 or self.ci_high < 0.0


def domain_covariance(
    state: DesignState,
    numerators: np.ndarray,
    denominators: np.ndarray | None,
    values: np.ndarray,
) -> np.ndarray:
    """Covariance (k x k) of k ratio estimates sum(w a_k) / sum(w b_k) (totals: b is None).

    numerators, denominators: rows x k (zero outside each domain); values: the k estimates.
    """
    w = state.weights
    if state.scheme is None:
        if denominators is None:
            z = w[:, None] * numerators
        else:
            bottom = w @ denominators
            z = w[:, None] * (numerators - values[None, :] * denominators) / bottom[None, :]
        return linearised_covariance(z, state.structure, state.steps)
    replicates = _replicate_weights(state)
    with np.errstate(invalid="ignore", divide="ignore"):
        thetas = replicates.T @ numerators
        if denominators is not None:
            thetas = thetas / (replicates.T @ denominators)
    return replicate_covariance(state.scheme, thetas, values)


def replicate_covariance(
    scheme: ReplicateScheme, thetas: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """R `svrVar` of a matrix of replicate estimates (replicates x k): the covariance matrix.
    Replicates where any estimate is undefined (a domain emptied by the replicate) are dropped,
    as R does for a single estimate."""
    keep = np.all(np.isfinite(thetas), axis=1)
    thetas, rscales = thetas[keep], scheme.rscales[keep]
    if len(thetas) == 0:
        return np.zeros((thetas.shape[1], thetas.shape[1]))
    if scheme.mse:
        centre = np.asarray(values, dtype=float)
    else:
        used = rscales > 0
        centre = thetas[used].mean(axis=0) if used.any() else thetas.mean(axis=0)
    deviations = thetas - centre
    return scheme.scale * (deviations * rscales[:, None]).T @ deviations


def combine(
    keys: Sequence[Hashable],
    values: np.ndarray,
    covariance: np.ndarray,
    coefficients,
    df_of,
    owner: str,
) -> Contrast:
    """The contrast of `values` (one per key) with `coefficients`: a mapping key -> number
    (absent keys count 0) or a sequence of one number per key. df_of(keys) gives the degrees
    of freedom of the union of the domains named."""
    c = _coefficients(keys, coefficients, owner)
    value = float(c @ values)
    variance = float(c @ covariance @ c)
    # Rounding can leave -1e-18 for a difference of two equal estimates: its variance is 0.
    se = math.sqrt(max(variance, 0.0))
    used = [k for k, x in zip(keys, c, strict=True) if x != 0]
    df = float(df_of(used))
    low, high, method = student_interval(value, se, df)
    pairs = tuple((k, float(x)) for k, x in zip(keys, c, strict=True) if x != 0)
    return Contrast(value, se, float(low), float(high), df, method, pairs)


def _coefficients(keys: Sequence[Hashable], coefficients, owner: str) -> np.ndarray:
    if isinstance(coefficients, Mapping):
        unknown = [k for k in coefficients if k not in keys]
        if unknown:
            fail(
                "coefficients",
                owner,
                f"a mapping whose keys are domains of the estimates ({list(keys)})",
                f"unknown domain {unknown[0]!r}",
            )
        raw = [coefficients.get(k, 0.0) for k in keys]
    elif isinstance(coefficients, Sequence) and not isinstance(coefficients, str):
        if len(coefficients) != len(keys):
            fail(
                "coefficients",
                owner,
                f"a sequence of {len(keys)} numbers (one per domain)",
                f"{len(coefficients)} numbers",
            )
        raw = list(coefficients)
    else:
        fail(
            "coefficients",
            owner,
            "a mapping domain -> number or a sequence of numbers",
            coefficients,
            kind=TypeError,
        )
    if any(isinstance(x, bool) or not isinstance(x, int | float | np.number) for x in raw):
        fail("coefficients", owner, "numbers", raw, kind=TypeError)
    array = np.asarray(raw, dtype=float)
    if not np.all(np.isfinite(array)):
        fail("coefficients", owner, "finite numbers", raw)
    return array


# -- two waves ------------------------------------------------------------------------------------


def mean_influence(state: DesignState, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The influence values of the mean of y over the domain, after the calibration residuals
    (rows), and the mask of the rows the mean rests on (in the domain, with a value and a
    weight)."""
    rows = state.domain & np.isfinite(y) & (state.weights != 0)
    if not rows.any():
        raise StatisticsError("No respondent with a value in this domain.")
    w = state.weights
    total = float(w[rows].sum())
    values = np.where(rows, y, 0.0)
    mean = float(w @ values) / total
    z = np.where(rows, w * (values - mean) / total, 0.0)
    zz = z[:, None]
    for step in state.steps:
        zz = step.residualise(zz)
    return zz[:, 0], rows


def overlap_covariance(
    first: DesignState,
    y_first: np.ndarray,
    ids_first: np.ndarray,
    second: DesignState,
    y_second: np.ndarray,
    ids_second: np.ndarray,
) -> tuple[float, int]:
    """The covariance of the two waves' means through their shared units (see the module's
    docstring) and the number of shared units with a value in both waves.

    Units are rows (a design with clusters is refused: its PSUs would have to be matched).
    A domain mean is the mean of z over the whole sample with z = 0 outside the domain (R's
    domain convention): n1h, n2h are the whole strata's sample sizes and every shared unit of
    the stratum enters the centred sum, with its z = 0 where it is outside the domain. A shared
    unit lying in a fully enumerated stratum (sampling fraction 1) of either wave is left out:
    that stratum's part of the wave's estimate has no sampling variance, so no covariance with
    the other wave. The other shared units are grouped by their pair of strata (the same
    stratum in both waves, or, when one wave has a census stratum the other has not, the
    sampled stratum of each): the part of the frame they share is taken as the smaller of the
    two strata, N = min(N1h, N2h), each wave's sample in it as f_kh N (n1h, n2h when the
    strata are the same), so the correction is 1 - f1h f2h N / m_h.
    """
    for state in (first, second):
        if state.structure.has_clusters:
            raise StatisticsError(
                "The covariance of two waves needs the organisation as the sampling unit: a "
                "design with clusters (ids) is not supported."
            )
    z1, rows1 = mean_influence(first, y_first)
    z2, rows2 = mean_influence(second, y_second)
    sampled1, sampled2 = first.weights != 0, second.weights != 0
    shared = len(set(ids_first[rows1].tolist()) & set(ids_second[rows2].tolist()))
    position = {
        key: i
        for i, key in zip(np.flatnonzero(sampled1), ids_first[sampled1].tolist(), strict=True)
    }
    pairs = [
        (position[key], j)
        for j, key in zip(np.flatnonzero(sampled2), ids_second[sampled2].tolist(), strict=True)
        if key in position
    ]
    if not pairs:
        return 0.0, shared
    i1 = np.array([p[0] for p in pairs])
    i2 = np.array([p[1] for p in pairs])
    h1, h2 = first.structure.strata[i1], second.structure.strata[i2]
    census1 = 1.0 - first.structure.sampling_fraction < CENSUS_THRESHOLD
    census2 = 1.0 - second.structure.sampling_fraction < CENSUS_THRESHOLD
    kept = ~census1[h1] & ~census2[h2]
    i1, i2, h1, h2 = i1[kept], i2[kept], h1[kept], h2[kept]
    covariance = 0.0
    for s1, s2 in dict.fromkeys(zip(h1.tolist(), h2.tolist(), strict=True)):
        here = (h1 == s1) & (h2 == s2)
        m = int(here.sum())
        if m < 2:
            continue
        # The shared units' part of the frame: the smaller of the two strata (the same stratum
        # when the waves are stratified alike); each wave's sample in it, its sampling fraction
        # times that size (n1h, n2h when the strata are the same).
        population = min(first.structure.population[s1], second.structure.population[s2])
        f1 = first.structure.sampling_fraction[s1]
        f2 = second.structure.sampling_fraction[s2]
        correction = 1.0 - f1 * f2 * population / m if np.isfinite(population) else 1.0
        a, b = z1[i1[here]], z2[i2[here]]
        covariance += correction * m / (m - 1.0) * float((a - a.mean()) @ (b - b.mean()))
    return float(covariance), shared
