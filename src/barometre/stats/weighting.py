"""Weighting diagnostics (Kish 1965): the variance cost of unequal weights.

kish_deff = n * sum(w^2) / sum(w)^2 = 1 + CV^2(w)     (CV with the 1/n variance)
effective_n = n / kish_deff = sum(w)^2 / sum(w^2)
"""

from __future__ import annotations

import numpy as np

from barometre.errors import StatisticsError
from barometre.stats.results import WeightDiagnostics


def kish_deff(weights) -> float:
    """1 + CV^2 of the weights."""
    w = _weights(weights)
    return float(len(w) * (w @ w) / w.sum() ** 2)


def effective_sample_size(weights) -> float:
    """sum(w)^2 / sum(w^2): n divided by the Kish design effect."""
    w = _weights(weights)
    return float(w.sum() ** 2 / (w @ w))


def weight_diagnostics(weights) -> WeightDiagnostics:
    w = _weights(weights)
    deff = kish_deff(w)
    return WeightDiagnostics(
        n=len(w),
        sum_weights=float(w.sum()),
        min_weight=float(w.min()),
        max_weight=float(w.max()),
        mean_weight=float(w.mean()),
        cv_weights=float(np.sqrt(max(deff - 1.0, 0.0))),
        kish_deff=deff,
        effective_n=len(w) / deff,
    )


def _weights(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float).ravel()
    if len(w) == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise StatisticsError("Weight diagnostics need finite non-negative weights, not all 0.")
    return w
