"""Variance by linearisation (Taylor series) for stratified cluster samples, as R `svyrecvar`.

A statistic is summarised by its influence values z_i (for a total, z_i = w_i y_i; for a mean or
a share, z_i = w_i (y_i - mean) / sum(w) on the domain, 0 elsewhere). After calibration
residuals (see `calibration.FittedCalibration.residualise`), the variance is the with-replacement
variance of the PSU totals within strata, times the finite population correction:

    V = sum_h (1 - n_h / N_h) * n_h / (n_h - 1) * sum_c (z_hc - mean_h)^2

where z_hc is the total of z over PSU c of stratum h, mean_h the mean of the z_hc over the n_h
PSUs of the stratum in the *whole* sample (a domain keeps every PSU, with zeros) and N_h the
population size of the stratum in PSUs. A stratum fully enumerated (n_h = N_h) contributes 0. A
stratum with a single PSU ("lonely") follows the design's `lonely_psu` (see `structure`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from barometre.errors import StatisticsError
from barometre.stats.calibration import FittedCalibration
from barometre.stats.structure import SamplingStructure

#: R treats a stratum whose 1 - n/N is below this as fully enumerated.
CENSUS_THRESHOLD = 1e-7


def linearised_covariance(
    z: np.ndarray, structure: SamplingStructure, steps: Sequence[FittedCalibration] = ()
) -> np.ndarray:
    """Covariance matrix (k x k) of k statistics with influence values z (rows x k)."""
    zz = z.reshape(len(z), -1).astype(float)
    for step in steps:
        zz = step.residualise(zz)
    structure.check_variance_defined()
    n_psus = len(structure.psu_stratum)
    totals = np.zeros((n_psus, zz.shape[1]))
    np.add.at(totals, structure.psu, zz)
    means = np.zeros((structure.n_strata, zz.shape[1]))
    np.add.at(means, structure.psu_stratum, totals)
    means /= structure.n_psu[:, None]
    correction = 1.0 - structure.sampling_fraction
    census = correction < CENSUS_THRESHOLD
    lonely = structure.lonely & ~census
    if lonely.any() and structure.lonely_psu == "adjust":
        # R "adjust": the lonely stratum's PSU is centred at the mean of all PSU totals.
        grand = totals.mean(axis=0)
        means[lonely] = grand
    deviations = totals - means[structure.psu_stratum]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(
            census,
            0.0,
            correction * structure.n_psu / (structure.n_psu - 1.0),
        )
    # A lonely stratum: scale f alone for "adjust" (R `onestage`: scale <- f when nPSU = 1),
    # 0 for "certainty" and "average" (the latter rescales the sum below).
    scale = np.where(lonely, correction if structure.lonely_psu == "adjust" else 0.0, scale)
    weighted = deviations * scale[structure.psu_stratum][:, None]
    covariance = weighted.T @ deviations
    if lonely.any() and structure.lonely_psu == "average":
        strata = structure.n_strata
        if strata == int(lonely.sum()):
            raise StatisticsError(
                "lonely_psu='average' needs at least one stratum with two PSUs or more: every "
                "stratum of this design has a single PSU."
            )
        covariance = covariance * strata / (strata - int(lonely.sum()))
    return covariance


def linearised_variance(
    z: np.ndarray, structure: SamplingStructure, steps: Sequence[FittedCalibration] = ()
) -> float:
    """Variance of one statistic with influence values z (rows)."""
    return float(linearised_covariance(z, structure, steps)[0, 0])
