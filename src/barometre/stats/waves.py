"""Change between two waves of the barometer: population change and panel change.

Population change (each wave weighted to its own frame):
    Delta = theta_2 - theta_1,   V(Delta) = V(theta_1) + V(theta_2) - 2 C,
C the covariance of the two means through the organisations that answered both waves
(`contrasts.overlap_covariance`: per stratum, (1 - n1 n2 / (m N)) m / (m - 1) times the sum over
the m shared organisations of the products of the centred influence values of each wave's mean,
after its calibration residuals). Adding the variances alone (independent samples) overstates
the variance when the same organisations answer twice. The interval is Student's with the
degrees of freedom of the stacked design (organisations in either wave minus strata).
C is a linearisation covariance (replicate weights cannot be paired across two independently
drawn waves). With replicate designs (`variance="design"`, the default, and either wave's design
has replicate weights), V_1 and V_2 are each wave's own variance (its replicate variance, the one
its estimates publish) and the covariance is taken through the linearised correlation:
    rho = C_lin / sqrt(V1_lin V2_lin),   C = rho sqrt(V1 V2),
rho bounded to [-1, 1] (`Change.correlation_clipped` says when it was), so that the replicate
correction of each wave's variance carries over to the covariance. With linearisation designs,
or `variance="linearisation"`, all three terms are linearised (C = C_lin), today's estimator.
A clearly negative V(Delta) is an error (StatisticsError), never a standard error of 0.

Panel change, over the organisations present in both waves with a value in both (the panel P):
    d_i = y_i,2 - y_i,1,   Delta_P = sum_{i in P} w_i d_i / sum_{i in P} w_i,
with w_i the current wave's (calibrated) weights, and V(Delta_P) the variance of that domain mean
in the current wave's design: its replicate variance when it has replicate weights (calibration
redone in each replicate; df the rank of the domain's replicate weights minus 1), else (or with
`variance="linearisation"`) its linearisation variance: the whole design, its fpc and its
calibration residuals, with d_i = 0 outside the panel. Since var(d) = var(y_1) + var(y_2)
- 2 cov(y_1, y_2) within organisations, this variance accounts for the overlap: it is
V_1 + V_2 - 2 C estimated on the paired differences. Delta_P estimates the mean change of the
organisations represented by the panel, not the change of the whole sector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from barometre.errors import StatisticsError
from barometre.stats.arguments import check_choice, check_column, fail
from barometre.stats.contrasts import mean_influence, overlap_covariance
from barometre.stats.design import SurveyDesign
from barometre.stats.intervals import student_interval
from barometre.stats.linearisation import linearised_covariance
from barometre.stats.results import Estimate

PANEL_COLUMN = "__panel_change__"
#: The variance of a change: "design", each design's own (replicate variances with the
#: linearised correlation when a design has replicate weights); "linearisation", every term
#: linearised whatever the designs.
ChangeVariance = Literal["design", "linearisation"]
CHANGE_VARIANCES: tuple[ChangeVariance, ...] = get_args(ChangeVariance)


@dataclass(frozen=True)
class Change:
    """A difference between waves with its standard error and 95 % interval.

    covariance: the covariance of the two waves' estimates that the variance subtracts (twice);
    shared: the organisations with a value in both waves (both 0 for the panel change, whose
    paired differences hold the overlap); df: the degrees of freedom of the interval,
    Student's (normal when None or below 1): the stacked design's for the population change,
    the current design's for the column for the panel change. variance_method: how the
    variance was computed ("linearisation", or the replicate design's description). For the
    population change with replicate variances: correlation, the linearised correlation of the
    two means that gives the covariance (rho sqrt(V1 V2)), and correlation_clipped, True when
    it fell outside [-1, 1] and was bounded; None and False when linearised."""

    value: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    covariance: float = 0.0
    shared: int = 0
    df: float | None = None
    variance_method: str = "linearisation"
    correlation: float | None = None
    correlation_clipped: bool = False


@dataclass(frozen=True)
class WaveComparison:
    """previous, current: each wave's estimate; population: their difference (its variance
    subtracts the covariance of the organisations in both waves); panel: mean
    within-organisation change over the panel (None if it has fewer than 2 organisations)."""

    column: str
    previous: Estimate
    current: Estimate
    population: Change
    panel: Change | None
    panel_previous_mean: float | None
    panel_current_mean: float | None


def compare_waves(
    previous: SurveyDesign,
    current: SurveyDesign,
    column: str,
    id_column: str,
    variance: ChangeVariance = "design",
) -> WaveComparison:
    """Compare the mean of `column` between two waves; organisations matched on `id_column`.

    variance: "design" (default), each design's own variance: with replicate weights, the
    replicate variances of the waves and of the panel, the population change's covariance from
    the linearised correlation (see the module's docstring); "linearisation", every variance of
    the change linearised whatever the designs (each wave's own estimate, `previous` and
    `current` of the result, keeps its design's variance either way)."""
    owner = "compare_waves"
    for name, design in (("previous", previous), ("current", current)):
        if not isinstance(design, SurveyDesign):
            fail(name, owner, "a SurveyDesign", type(design).__name__, kind=TypeError)
        check_column(design.data, column, "column", owner)
        check_column(design.data, id_column, "id_column", owner)
    variance = check_choice(variance, "variance", owner, CHANGE_VARIANCES)
    first, second = previous.mean(column), current.mean(column)
    population = _population_change(previous, current, column, id_column, first, second, variance)
    panel_design = current if variance == "design" else _linearised(current)
    panel, means = _panel_change(previous, panel_design, column, id_column)
    return WaveComparison(column, first, second, population, panel, *means)


def _linearised(design: SurveyDesign) -> SurveyDesign:
    """The same design (weights, calibration, domain) with its variance linearised."""
    if design._state.scheme is None:
        return design
    return SurveyDesign._derive(design, scheme=None, replicate_weights=None, ranks=None)


def _population_change(
    previous: SurveyDesign,
    current: SurveyDesign,
    column: str,
    id_column: str,
    first: Estimate,
    second: Estimate,
    method: ChangeVariance = "design",
) -> Change:
    """theta_2 - theta_1 with V_1 + V_2 - 2 C (C: the covariance of the shared organisations)."""
    states = previous._state, current._state
    values = [s.data[column].to_numpy(dtype=float, na_value=np.nan) for s in states]
    ids = [s.data[id_column].to_numpy(dtype=object) for s in states]
    covariance, shared = overlap_covariance(
        states[0], values[0], ids[0], states[1], values[1], ids[1]
    )
    difference = second.value - first.value
    replicated = [s.scheme is not None for s in states]
    correlation, clipped = None, False
    if not any(replicated):
        v1, v2 = first.se**2, second.se**2
        variance_method = "linearisation"
    elif method == "linearisation":
        # C is a linearisation covariance: V1 and V2 are linearised too, one estimator.
        v1, v2 = (_linearised_variance(s, y) for s, y in zip(states, values, strict=True))
        variance_method = "linearisation"
    else:
        # Each wave's own variance (its replicates), the covariance through the linearised
        # correlation: C = rho_lin sqrt(V1 V2). Mixing replicate V1, V2 with C_lin itself could
        # subtract more than the overlap holds; rho_lin scales C with the variances.
        lin1, lin2 = (_linearised_variance(s, y) for s, y in zip(states, values, strict=True))
        v1, v2 = first.se**2, second.se**2
        scale = math.sqrt(max(lin1, 0.0) * max(lin2, 0.0))
        rho = covariance / scale if scale > 0 else 0.0
        clipped = abs(rho) > 1.0
        correlation = min(max(rho, -1.0), 1.0)
        covariance = correlation * math.sqrt(v1 * v2)
        variance_method = (
            " and ".join(dict.fromkeys(s.variance_method for s in states))
            + " variances, linearised correlation"
        )
    variance = v1 + v2 - 2.0 * covariance
    # Rounding can leave -1e-18 for two identical waves; a clearly negative variance is refused.
    if variance < -1e-9 * max(v1 + v2, 1e-300):
        raise StatisticsError(
            f"The variance of the change of {column!r} is negative (V1 {v1:.6g} + V2 {v2:.6g} "
            f"- 2 x covariance {covariance:.6g}): the overlap covariance of the shared "
            "organisations is not consistent with the waves' variances."
        )
    se = math.sqrt(max(variance, 0.0))
    df = _stacked_df(states, values, ids)
    low, high, _method = student_interval(difference, se, df)
    return Change(
        difference,
        se,
        low,
        high,
        n=second.n + first.n,
        covariance=covariance,
        shared=shared,
        df=df,
        variance_method=variance_method,
        correlation=correlation,
        correlation_clipped=clipped,
    )


def _linearised_variance(state, y: np.ndarray) -> float:
    """The linearisation variance of the mean of y over the state's domain (its calibration
    residuals and fpc), whatever the state's variance method."""
    z, _rows = mean_influence(state, y)
    # mean_influence has already taken the calibration residuals: no steps again.
    return float(linearised_covariance(z[:, None], state.structure)[0, 0])


def _stacked_df(states, values, ids) -> float:
    """Degrees of freedom of the two waves stacked with the organisation as the PSU (R `degf` of
    `svydesign(ids=~id, strata=...)` on the rbind of both waves): organisations with a value in
    either wave minus the strata they lie in."""
    units, strata = set(), set()
    for state, y, key in zip(states, values, ids, strict=True):
        rows = state.domain & np.isfinite(y) & (state.weights != 0)
        labels = np.asarray(state.structure.stratum_labels, dtype=object)[state.structure.strata]
        units.update(key[rows].tolist())
        strata.update(labels[rows].tolist())
    return float(len(units) - len(strata))


def _panel_change(previous, current, column, id_column):
    old = previous.data.loc[:, [id_column, column]]
    if old[id_column].duplicated().any():
        raise StatisticsError(f"Organisation ids in {id_column!r} repeat in the previous wave.")
    new = current.data
    if new[id_column].duplicated().any():
        raise StatisticsError(f"Organisation ids in {id_column!r} repeat in the current wave.")
    before = new[id_column].map(old.set_index(id_column)[column])
    y_before = before.to_numpy(dtype=float, na_value=np.nan)
    y_now = new[column].to_numpy(dtype=float, na_value=np.nan)
    change = y_now - y_before  # NaN outside the panel: left out as a domain
    if np.isfinite(change).sum() < 2:
        return None, (None, None)
    estimate = current.with_column(PANEL_COLUMN, change).mean(PANEL_COLUMN)
    in_panel = np.isfinite(change)
    w = current.weights[in_panel]
    means = (float(w @ y_before[in_panel] / w.sum()), float(w @ y_now[in_panel] / w.sum()))
    # The interval is Student's at the current design's df for the column (the panel is a
    # domain of it: R counts the design's rows, not the domain's values).
    panel = Change(
        estimate.value,
        estimate.se,
        estimate.ci_low,
        estimate.ci_high,
        estimate.n,
        df=estimate.df,
        variance_method=estimate.variance_method,
    )
    return panel, means
