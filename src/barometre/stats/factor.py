"""One-factor model fitted by maximum likelihood to a correlation matrix.

Sigma = lambda lambda' + diag(psi) minimises the ML discrepancy
    F = log det Sigma + tr(R Sigma^-1) - log det R - p,
with gradient dF/dlambda = 2 G lambda and dF/dpsi = diag(G), G = Sigma^-1 - Sigma^-1 R Sigma^-1
(Jöreskog 1967). Uniquenesses are kept at or above 0.005 as R `factanal` and `psych::fa` do
(a Heywood case stops there). Starting values: squared multiple correlations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from barometre.errors import StatisticsError

MIN_UNIQUENESS = 0.005


@dataclass(frozen=True)
class OneFactorFit:
    loadings: np.ndarray
    uniquenesses: np.ndarray
    discrepancy: float
    iterations: int


def fit_one_factor(correlation: np.ndarray) -> OneFactorFit:
    """ML loadings and uniquenesses of a p x p correlation matrix (p >= 3)."""
    r = np.asarray(correlation, dtype=float)
    p = r.shape[0]
    if r.shape != (p, p) or p < 3:
        raise StatisticsError("A one-factor model needs a square matrix of at least 3 items.")
    smc = 1.0 - 1.0 / np.clip(np.diag(np.linalg.pinv(r)), 1.0, None)
    start = np.concatenate([np.sqrt(np.clip(smc, 0.05, 0.95)), 1.0 - np.clip(smc, 0.05, 0.95)])
    _, logdet_r = np.linalg.slogdet(r)

    def objective(theta: np.ndarray):
        loadings, psi = theta[:p], theta[p:]
        sigma = np.outer(loadings, loadings) + np.diag(psi)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return np.inf, np.zeros_like(theta)
        inverse = np.linalg.inv(sigma)
        g = inverse - inverse @ r @ inverse
        value = logdet + np.trace(r @ inverse) - logdet_r - p
        return value, np.concatenate([2.0 * g @ loadings, np.diag(g)])

    bounds = [(None, None)] * p + [(MIN_UNIQUENESS, None)] * p
    result = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10},
    )
    gradient = result.jac if result.jac is not None else np.zeros(2 * p)
    at_bound = np.concatenate([np.zeros(p, bool), result.x[p:] <= MIN_UNIQUENESS + 1e-12])
    if not result.success and np.max(np.abs(gradient[~at_bound])) > 1e-6:
        raise StatisticsError(f"The one-factor model did not converge: {result.message}")
    loadings = result.x[:p]
    if loadings.sum() < 0:
        loadings = -loadings
    return OneFactorFit(loadings, result.x[p:], float(result.fun), int(result.nit))
