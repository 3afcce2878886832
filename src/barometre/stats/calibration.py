"""Calibration of weights to population totals, and the residuals its variance needs.

Three recipes, each a `CalibrationModel` (what to hit) that can be solved for any starting
weights, so that a replicate design replays it on every replicate:

- post-stratification: g = N_c / sum of the weights of cell c;
- raking: iterative proportional fitting on margins (Deming-Stephan), to a relative tolerance;
- calibration (R `calibrate`, Deville and Särndal 1992): g = 1 + F(x'eta) found by Newton's
  method as in R's `grake` (damped by step halving), F linear, exponential ("raking") or
  logit, with optional bounds on g.

Variance by linearisation (R `svyrecvar`): the influence values z of a statistic are replaced,
step after step, by their calibration residuals
    z <- z - g * d * X (X' D X)^- X' (z / g),
with d the weights before the step, g its adjustment factors and X its model matrix (cell or
margin indicators, numeric columns). This is R's `qr.resid(qr(X sqrt(d)), z / (g sqrt(d)))
* g sqrt(d)`; for a single post-stratification it removes the d-weighted cell means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from scipy.special import expit

from barometre.errors import StatisticsError
from barometre.stats.margins import Margin

Kind = Literal["poststratify", "rake", "calibrate"]
#: Step halvings tried by the damped Newton method before taking the (tiny) step anyway.
MAX_HALVINGS = 50
Method = Literal["linear", "raking", "logit"]
METHODS: tuple[Method, ...] = get_args(Method)


@dataclass(frozen=True, eq=False)
class CalibrationModel:
    """A calibration recipe bound to the data: model matrix, targets, solver settings.

    matrix: rows x p model matrix; targets: the p population totals it must reproduce.
    margins: categorical margins (indicator columns); numeric: (column, total) pairs.
    """

    kind: Kind
    matrix: np.ndarray
    targets: np.ndarray
    margins: tuple[Margin, ...]
    numeric: tuple[tuple[str, float], ...]
    has_intercept: bool = False
    method: Method = "linear"
    bounds: tuple[float, float] = (-np.inf, np.inf)
    max_iter: int = 100
    tol: float = 1e-10

    def describe(self) -> str:
        parts = [m.label for m in self.margins] + [c for c, _ in self.numeric]
        if self.kind == "calibrate":
            return f"calibrate ({self.method}) on {', '.join(parts)}"
        return f"{self.kind} on {', '.join(parts)}"

    def solve(self, weights: np.ndarray) -> tuple[np.ndarray, int]:
        """Adjustment factors g (same shape as `weights`: rows, or rows x replicates)."""
        if self.kind == "poststratify":
            return _poststratify(self.margins[0], weights), 1
        if self.kind == "rake":
            return _rake(self.margins, weights, self.max_iter, self.tol)
        matrix = weights.reshape(len(weights), -1)
        factors = np.empty_like(matrix)
        iterations = 0
        for column in range(matrix.shape[1]):
            factors[:, column], used = _newton(self, matrix[:, column])
            iterations = max(iterations, used)
        return factors.reshape(weights.shape), iterations


@dataclass(frozen=True, eq=False)
class FittedCalibration:
    """A calibration step applied to given weights: what linearisation needs to replay it."""

    model: CalibrationModel
    before: np.ndarray
    g: np.ndarray
    iterations: int
    gram_inverse: np.ndarray

    @classmethod
    def fit(cls, model: CalibrationModel, before: np.ndarray) -> FittedCalibration:
        g, iterations = model.solve(before)
        x = model.matrix
        gram = (x * before[:, None]).T @ x
        return cls(model, before, g, iterations, np.linalg.pinv(gram))

    @property
    def after(self) -> np.ndarray:
        return self.before * self.g

    def residualise(self, z: np.ndarray) -> np.ndarray:
        """Calibration residuals of influence values z (rows, or rows x k)."""
        zz = z.reshape(len(z), -1)
        x = self.model.matrix
        coef = self.gram_inverse @ (x.T @ (zz / self.g[:, None]))
        return (zz - self.after[:, None] * (x @ coef)).reshape(z.shape)


def _poststratify(margin: Margin, weights: np.ndarray) -> np.ndarray:
    sums = _cell_sums(margin, weights)
    if np.any(sums <= 0):
        cell = int(np.argwhere(sums <= 0)[0][0])
        raise StatisticsError(
            f"No weight left in {margin.level_name(cell)}: cannot "
            "post-stratify (a replicate removed every respondent of the cell?)"
        )
    ratio = margin.counts.reshape(-1, *([1] * (weights.ndim - 1))) / sums
    return ratio[margin.codes]


def _cell_sums(margin: Margin, weights: np.ndarray) -> np.ndarray:
    """Sum of the weights of each level (levels, or levels x replicates)."""
    if weights.ndim == 1:
        return np.bincount(margin.codes, weights=weights, minlength=len(margin.levels))
    return margin.indicators.T @ weights


def _rake(margins, weights, max_iter, tol) -> tuple[np.ndarray, int]:
    """Iterative proportional fitting: rescale to each margin in turn until all are met."""
    current = weights.astype(float).copy()
    for iteration in range(1, max_iter + 1):
        for margin in margins:
            current = current * _poststratify(margin, current)
        worst, where = 0.0, ""
        for margin in margins:
            sums = _cell_sums(margin, current)
            counts = margin.counts.reshape(-1, *([1] * (current.ndim - 1)))
            gap = np.abs(sums - counts) / counts
            if gap.max() > worst:
                worst = float(gap.max())
                where = margin.level_name(int(np.unravel_index(gap.argmax(), gap.shape)[0]))
        if worst <= tol:
            return np.divide(
                current, weights, out=np.ones_like(current), where=weights > 0
            ), iteration
    raise StatisticsError(
        f"Raking did not converge in {max_iter} iterations: the weights miss the population "
        f"count of {where} by {worst:.3g} (relative). Collapse sparse levels, check that the "
        "margins are consistent, or raise max_iter."
    )


def _newton(model: CalibrationModel, d: np.ndarray) -> tuple[np.ndarray, int]:
    """R's grake: solve sum d (1 + F(x'eta)) x = targets for eta by Newton's method.

    The step is halved until the scaled misfit decreases (damped Newton): R takes full steps,
    which overshoot when the starting weights are far from the targets (raking from g = 1 can
    jump to exp(30)); both reach the same solution when R's converges.
    """
    x, targets = model.matrix, model.targets
    inverse, derivative = _calibration_function(model.method, *model.bounds)
    scale = 1.0 + np.abs(targets)

    def misfit_at(eta: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            return targets - x.T @ (d * (1.0 + inverse(x @ eta)))

    eta = np.zeros(x.shape[1])
    misfit = misfit_at(eta)
    for iteration in range(model.max_iter + 1):
        if np.all(np.abs(misfit) / scale < model.tol):
            return 1.0 + inverse(x @ eta), iteration
        slope = (x * (d * derivative(x @ eta))[:, None]).T @ x
        step = np.linalg.pinv(slope) @ misfit
        current = float(np.sum((misfit / scale) ** 2))
        for _ in range(MAX_HALVINGS):
            candidate = misfit_at(eta + step)
            with np.errstate(over="ignore"):
                smaller = np.sum((candidate / scale) ** 2) < current
            if np.all(np.isfinite(candidate)) and smaller:
                break
            step = step / 2.0
        eta, misfit = eta + step, candidate
    worst = int(np.nanargmax(np.abs(misfit) / scale))
    raise StatisticsError(
        f"Calibration ({model.method}, bounds {model.bounds}) did not converge in "
        f"{model.max_iter} iterations: {_target_name(model, worst)} is missed by "
        f"{misfit[worst]:.6g}. Widen the bounds or collapse sparse levels."
    )


def _calibration_function(method: Method, low: float, high: float):
    """F (g - 1 as a function of u = x'eta) and its derivative, as in R's grake."""
    if method == "linear":

        def inverse(u):
            return np.clip(1.0 + u, low, high) - 1.0

        def derivative(u):
            return ((1.0 + u > low) & (1.0 + u < high)).astype(float)
    elif method == "raking":

        def inverse(u):
            return np.clip(np.exp(np.minimum(u, 700.0)), low, high) - 1.0

        def derivative(u):
            e = np.exp(np.minimum(u, 700.0))
            return np.where((e > low) & (e < high), e, 0.0)
    else:
        # R grake's logit: g = (L (U - 1) + U (1 - L) e) / (U - 1 + (1 - L) e), e = exp(a u).
        # Written as g = L + (U - L) p with p = expit(a u - log((U - 1) / (1 - L))), the same
        # number computed without overflow (U (1 - L) e overflows for large bounds); its
        # derivative is (U - L) a p (1 - p).
        a = (high - low) / ((high - 1.0) * (1.0 - low))
        shift = np.log((high - 1.0) / (1.0 - low))

        def inverse(u):
            return low + (high - low) * expit(a * u - shift) - 1.0

        def derivative(u):
            p = expit(a * u - shift)
            return (high - low) * a * p * (1.0 - p)

    return inverse, derivative


def _target_name(model: CalibrationModel, position: int) -> str:
    if model.has_intercept:
        if position == 0:
            return "the population size"
        position -= 1
    offset = 0
    for index, margin in enumerate(model.margins):
        width = len(margin.levels) - (1 if index > 0 else 0)
        if position < offset + width:
            return f"the population count of {margin.level_name(position - offset + (index > 0))}"
        offset += width
    return f"the total of column {model.numeric[position - offset][0]!r}"
