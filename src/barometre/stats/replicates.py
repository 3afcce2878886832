"""Replicate weights: delete-one-PSU jackknife (JK1, JKn) and the Rao-Wu rescaling bootstrap.

Jackknife, as R `as.svrepdesign` (`jk1weights`, `jknweights`): replicate (h, j) drops PSU j of
stratum h and multiplies the other PSUs of h by n_h / (n_h - 1). The variance is
    V = scale * sum_r rscale_r (theta_r - centre)^2
with, for JK1 (no strata), scale = (1 - f) (n - 1) / n and rscale = 1, and for JKn
scale = 1 and rscale_r = (1 - f_h) (n_h - 1) / n_h; f is the sampling fraction n / N of the fpc.
Strata sampled exhaustively get no replicate. The centre is the mean of the replicates (R's
default `mse=FALSE`) or the full-sample estimate (`mse=True`).

Bootstrap (Rao and Wu 1988, Rao, Wu and Yue 1992) with m_h = n_h - 1 PSUs drawn with
replacement in each stratum: a PSU drawn r times gets the factor
    1 - lambda_h + lambda_h * n_h / m_h * r,   lambda_h = sqrt(m_h (1 - f_h) / (n_h - 1))
so that the fpc is built into the replicate weights, which stay positive whenever f_h > 0.
V = 1 / (B - 1) * sum_b (theta_b - centre)^2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from barometre.errors import StatisticsError
from barometre.stats.linearisation import CENSUS_THRESHOLD
from barometre.stats.structure import SamplingStructure

Kind = Literal["JK1", "JKn", "bootstrap"]


@dataclass(frozen=True, eq=False)
class ReplicateScheme:
    """How replicates are formed: multipliers of the base weights and the variance scales."""

    kind: Kind
    factors: np.ndarray  # rows x replicates
    scale: float
    rscales: np.ndarray  # replicates
    mse: bool
    seed: int | None = None

    @property
    def n_replicates(self) -> int:
        return self.factors.shape[1]

    def describe(self) -> str:
        if self.kind == "bootstrap":
            return f"bootstrap (Rao-Wu rescaling, {self.n_replicates} replicates, seed {self.seed})"
        return f"jackknife {self.kind} ({self.n_replicates} replicates)"

    def variance(self, thetas: np.ndarray, estimate: np.ndarray | float) -> np.ndarray:
        """Replicate variance of each column of thetas (replicates x k)."""
        if self.n_replicates == 0:  # every stratum a census: no sampling variance
            return np.zeros(max(np.size(estimate), 1))
        thetas = thetas.reshape(self.n_replicates, -1)
        if self.mse:
            centre = np.broadcast_to(np.asarray(estimate, dtype=float), thetas.shape[1:])
        else:
            used = self.rscales > 0
            centre = thetas[used].mean(axis=0) if used.any() else thetas.mean(axis=0)
        return self.scale * (self.rscales[:, None] * (thetas - centre) ** 2).sum(axis=0)


def _check_lonely(structure: SamplingStructure, method: str) -> None:
    """Replicates handle a lonely stratum only as a certainty stratum (no replicate)."""
    structure.check_variance_defined()
    if structure.lonely.any() and structure.lonely_psu in ("adjust", "average"):
        raise StatisticsError(
            f"The {method} of a design with a single-PSU stratum supports lonely_psu='fail' or "
            f"'certainty' (the stratum gets no replicate), not {structure.lonely_psu!r}: use "
            "linearisation, or merge the stratum with a similar one."
        )


def jackknife(structure: SamplingStructure, mse: bool = False) -> ReplicateScheme:
    """JK1 when the design has no strata, JKn otherwise (R `as.svrepdesign(type="auto")`). A
    lonely stratum with lonely_psu='certainty' gets no replicate, like a census stratum."""
    _check_lonely(structure, "jackknife")
    fraction = structure.sampling_fraction
    columns, rscales = [], []
    n_rows = len(structure.psu)
    for stratum in range(structure.n_strata):
        correction = 1.0 - fraction[stratum]
        if correction < CENSUS_THRESHOLD or structure.n_psu[stratum] < 2:
            continue
        psus = np.flatnonzero(structure.psu_stratum == stratum)
        n_h = len(psus)
        in_stratum = structure.strata == stratum
        for psu in psus:
            factor = np.ones(n_rows)
            factor[in_stratum] = n_h / (n_h - 1.0)
            factor[structure.psu == psu] = 0.0
            columns.append(factor)
            rscales.append(correction * (n_h - 1.0) / n_h)
    factors = np.column_stack(columns) if columns else np.ones((n_rows, 0))
    rscales_array = np.array(rscales, dtype=float)
    if structure.has_strata:
        return ReplicateScheme("JKn", factors, 1.0, rscales_array, mse)
    # JK1: one stratum, the whole scale in `scale` as R does.
    scale = float(rscales_array[0]) if len(rscales_array) else 0.0
    return ReplicateScheme("JK1", factors, scale, np.ones(len(rscales_array)), mse)


def rao_wu_bootstrap(
    structure: SamplingStructure, replicates: int, seed: int | None, mse: bool = False
) -> ReplicateScheme:
    """Rao-Wu rescaling bootstrap with m_h = n_h - 1 and the fpc in the weights (a lonely
    stratum with lonely_psu='certainty' keeps its weights in every replicate)."""
    _check_lonely(structure, "bootstrap")
    rng = np.random.default_rng(seed)
    psu_factors = np.ones((len(structure.psu_stratum), replicates))
    fraction = structure.sampling_fraction
    for stratum in range(structure.n_strata):
        psus = np.flatnonzero(structure.psu_stratum == stratum)
        n_h = len(psus)
        if n_h < 2:
            continue  # a single PSU: a census or certainty stratum (checked above)
        m_h = n_h - 1
        lam = np.sqrt(m_h * max(0.0, 1.0 - fraction[stratum]) / (n_h - 1.0))
        draws = rng.multinomial(m_h, np.full(n_h, 1.0 / n_h), size=replicates).T
        psu_factors[psus] = 1.0 - lam + lam * (n_h / m_h) * draws
    if replicates < 2:
        raise StatisticsError("The bootstrap needs at least 2 replicates.")
    return ReplicateScheme(
        "bootstrap",
        psu_factors[structure.psu],
        1.0 / (replicates - 1.0),
        np.ones(replicates),
        mse,
        seed,
    )
