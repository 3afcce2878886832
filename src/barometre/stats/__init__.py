"""Design-based survey statistics: designs, calibration, variance, reliability, wave change.

The estimation API follows R `survey` (T. Lumley): `SurveyDesign` with `mean`, `total`, `share`,
`quantile`, `poststratify`, `rake`, `calibrate`, `jackknife` and `bootstrap`. The barometer's
sector estimate lives in `barometre.stats.sector`. See docs/statistics.md.
"""

from barometre.stats.contrasts import Contrast
from barometre.stats.design import SurveyDesign
from barometre.stats.reliability import (
    AlphaResult,
    DimensionReliability,
    ItemStatistics,
    OmegaResult,
    cronbach_alpha,
    cronbach_alpha_from_covariance,
    dimension_reliability,
    omega_from_correlation,
    omega_total,
)
from barometre.stats.results import DomainEstimates, Estimate, WeightDiagnostics
from barometre.stats.waves import Change, WaveComparison, compare_waves
from barometre.stats.weighting import effective_sample_size, kish_deff, weight_diagnostics

__all__ = [
    "AlphaResult",
    "Change",
    "Contrast",
    "DimensionReliability",
    "DomainEstimates",
    "Estimate",
    "ItemStatistics",
    "OmegaResult",
    "SurveyDesign",
    "WaveComparison",
    "WeightDiagnostics",
    "compare_waves",
    "cronbach_alpha",
    "cronbach_alpha_from_covariance",
    "dimension_reliability",
    "effective_sample_size",
    "kish_deff",
    "omega_from_correlation",
    "omega_total",
    "weight_diagnostics",
]
