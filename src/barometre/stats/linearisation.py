"""Variance by linearisation (Taylor series) for stratified cluster samples, as R `svyrecvar`.

A statistic is summarised by its influence values z_i (for a total, z_i = w_i y_i; for a mean or
a share, z_i = w_i (y_i - mean) / sum(w) on the domain, 0 elsewhere). After calibration
residuals (see `calibration.FittedCalibration.residualise`), the variance is the with-replacement
variance of the PSU totals within strata, times the finite population correction:

    V = sum_h (1 - n_h / N_h) * n_h / (n_h - 1) * sum_c (z_hc - mean_h)^2

where z_hc is the total of z over PSU c of stratum h, mean_h the mean of the z_hc over the n_h
PSUs of the stratum in the *whole* sample (a domain keeps every PSU, with zeros) and N_h the
population size of the stratum in PSUs. A stratum fully enumerated (n_h = N_h) contributes 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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
    deviations = totals - means[structure.psu_stratum]
    correction = 1.0 - structure.sampling_fraction
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(
            correction < CENSUS_THRESHOLD,
            0.0,
            correction * structure.n_psu / (structure.n_psu - 1.0),
        )
    weighted = deviations * scale[structure.psu_stratum][:, None]
    return weighted.T @ deviations


def linearised_variance(
    z: np.ndarray, structure: SamplingStructure, steps: Sequence[FittedCalibration] = ()
) -> float:
    """Variance of one statistic with influence values z (rows)."""
    return float(linearised_covariance(z, structure, steps)[0, 0])
