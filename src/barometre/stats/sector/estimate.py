"""The sector estimate: weight the respondents to the frame, estimate every indicator by domain.

Steps: check the inputs -> calibrate to the frame (post-stratification or raking, see
`weighting`) -> optionally replicate weights (jackknife or bootstrap, calibration redone in
each replicate) -> for the sector and each organisation type, size class and region: the mean
of the global index, of every dimension and of both axes, and the share of each level and
typology family,
each with n, unweighted and weighted values, SE, 95 % CI, design effect ('wor') and effective
sample size; fewer than `min_domain` responding organisations -> suppressed, no number
(primary), and whatever would let a reader recover it by subtraction -> suppressed too
(complementary, see `disclosure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import get_args

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from barometre.contracts.estimates import SuppressionKind, VarianceMethod
from barometre.errors import StatisticsError
from barometre.questionnaire.models import Methodology
from barometre.stats.arguments import check_choice, check_positive_int, fail
from barometre.stats.design import SurveyDesign
from barometre.stats.results import DeffReference, Estimate
from barometre.stats.sector.contrasts import domain_contrasts
from barometre.stats.sector.disclosure import (
    BREAKDOWNS,
    DomainKey,
    PeerCell,
    SuppressionPattern,
    suppression_pattern,
)
from barometre.stats.sector.inputs import (
    ORGANISATION_TYPES,
    SIZE_CLASSES,
    SectorInputs,
    check_inputs,
)
from barometre.stats.sector.results import (
    DomainResult,
    FigureKind,
    SectorEstimate,
    SectorFigure,
)
from barometre.stats.sector.weighting import weight_to_frame

OWNER = "estimate_sector"
COMPLEMENTARY_REASON = (
    "hidden so that a suppressed figure cannot be recovered by subtraction from the published "
    "ones (complementary suppression)"
)
VARIANCE_METHODS: tuple[VarianceMethod, ...] = get_args(VarianceMethod)


def estimate_sector(
    scores: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    dimensions: Sequence[str] | None = None,
    variance: VarianceMethod | None = None,
    replicates: int | None = None,
    seed: int | None = 0,
    min_cell: int | None = None,
    min_domain: int | None = None,
    level_order: Sequence[str] | None = None,
    typology_order: Sequence[str] | None = None,
) -> SectorEstimate:
    """Sector figures from the scores of the responding organisations and the frame.

    dimensions: the dimension score columns (default: every column of `scores` that is not
    organisation_id, global, tech, transfo, level or family). variance: "jackknife" (JK1:
    delete-one, the calibration redone in each replicate), "linearisation" (with calibration
    residuals) or "bootstrap" (Rao-Wu, `replicates`, `seed`); None: the default methodology's
    (`Methodology.variance`: the jackknife, 500 bootstrap replicates); when the replicates
    cannot be calibrated again (a very sparse sample), linearisation, recorded in
    `variance_fallback` (and the weighting's notes). min_cell: respondents needed in every
    post-stratification cell (and, after collapsing, in every raking level; default: the
    methodology's calibration_min_cell).
    min_domain: suppression threshold (default: the methodology's disclosure_minimum).
    """
    # One BLAS thread: the ranks of replicate weights (an eigendecomposition per domain) and
    # the covariances are small matrices, faster on one thread, and two BLAS threads on a
    # machine whose other CPU is busy spin against it (measured 30 times slower under load;
    # docs/statistics.md, "Computation time").
    with threadpool_limits(limits=1, user_api="blas"):
        defaults = Methodology()
        min_cell = defaults.calibration_min_cell if min_cell is None else min_cell
        min_domain = defaults.disclosure_minimum if min_domain is None else min_domain
        variance = defaults.variance.method if variance is None else variance
        replicates = defaults.variance.replicates if replicates is None else replicates
        variance = check_choice(variance, "variance", OWNER, VARIANCE_METHODS)
        check_positive_int(min_cell, "min_cell", OWNER)
        check_positive_int(min_domain, "min_domain", OWNER)
        inputs = check_inputs(scores, frame, dimensions, level_order, typology_order)
        if inputs.respondents.empty:
            fail("scores", OWNER, "at least one responding organisation", "an empty table")
        design, report = weight_to_frame(inputs.respondents, inputs.frame, min_cell)
        if variance == "bootstrap":
            check_positive_int(replicates, "replicates", OWNER, minimum=2)
        fallback = None
        if variance != "linearisation":
            try:
                design = replicated_design(design, variance, replicates, seed)
            except StatisticsError as error:
                # A sample so sparse that the weighting's calibration has no solution once one
                # organisation is left out: the replicates cannot be calibrated again, the variance
                # falls back to linearisation, recorded in the method (`variance_fallback`,
                # shown by the reports, the web and the command line) and the weighting's notes.
                fallback = f"{variance} not possible ({error}); the variance is linearised"
                report = replace(report, notes=(*report.notes, fallback))
        keys = _domains(inputs.frame)
        suppression = _Suppression(inputs.respondents, keys, min_domain)
        domains = tuple(_domain(design, inputs, key, min_domain, suppression) for key in keys)
        columns = {_column(name)[0] for name, _kind in _indicators(inputs)}
        return SectorEstimate(
            frame_size=len(inputs.frame),
            responding_organisations=len(inputs.respondents),
            weighting=report,
            variance_method=design.variance_method,
            variance_requested=variance,
            variance_fallback=fallback,
            min_domain=min_domain,
            dimensions=inputs.dimensions,
            levels=inputs.levels,
            typology=inputs.typology,
            domains=domains,
            hidden_peer_cells=suppression.hidden_peer_cells(columns),
            contrasts=domain_contrasts(
                design,
                inputs.dimensions,
                {
                    (d.variable, d.level, f.indicator): not (d.suppressed or f.suppressed)
                    for d in domains
                    for f in d.figures
                },
            ),
        )


def replicated_design(
    design: SurveyDesign, variance: VarianceMethod, replicates: int, seed: int | None
) -> SurveyDesign:
    """The calibrated design with the replicate weights of `variance` (the calibration redone
    in every replicate), for the estimates and the change between waves; linearisation: the
    design itself. Raises StatisticsError when the replicates cannot be calibrated again."""
    if variance == "jackknife":
        return design.jackknife()
    if variance == "bootstrap":
        return design.bootstrap(replicates, seed)
    return design


def _domains(frame: pd.DataFrame) -> list[DomainKey]:
    regions = sorted(frame["region"].unique())
    domains: list[DomainKey] = [("sector", "all")]
    domains += [("organisation_type", t) for t in ORGANISATION_TYPES]
    domains += [("size_class", s) for s in SIZE_CLASSES]
    domains += [("region", r) for r in regions]
    return domains


class _Suppression:
    """The suppression pattern of the domains, and of each figure over the organisations that
    carry its value (figures with the same organisations share one pattern)."""

    def __init__(self, respondents: pd.DataFrame, keys: list[DomainKey], minimum: int) -> None:
        self.respondents = respondents
        self.keys = keys
        self.minimum = minimum
        # Every responding organisation's referent sees a peer comparison (the audit counts
        # the type x size cells it shows as known to the reader, or hides them).
        self.referents = respondents[["organisation_type", "size_class"]]
        self._domains = suppression_pattern(
            respondents[list(BREAKDOWNS)], keys, minimum, referents=self.referents
        )
        self.domains = self._domains.domains
        self._by_units: dict[bytes, SuppressionPattern] = {}

    def _pattern(self, column: str) -> SuppressionPattern:
        mask = self.respondents[column].notna().to_numpy()
        key = mask.tobytes()
        if key not in self._by_units:
            units = self.respondents.loc[mask, list(BREAKDOWNS)]
            self._by_units[key] = suppression_pattern(
                units,
                self.keys,
                self.minimum,
                forced=self.domains,
                referents=self.referents,
                hidden_peers=self._domains.hidden_peer_cells,
            )
        return self._by_units[key]

    def figure(self, column: str) -> dict[DomainKey, SuppressionKind]:
        return self._pattern(column).domains

    def hidden_peer_cells(self, columns: set[str]) -> tuple[PeerCell, ...]:
        """The peer cells hidden for any figure: a comparison hidden for one dimension is
        hidden for all (the reports show it whole or not at all). Every figure counts, not
        only the dimensions the comparison shows: the global index and the axes are
        combinations of the dimensions, so a cell's dimension totals can give theirs. Each
        figure's pattern was audited with fewer cells hidden, so it stays safe with more."""
        cells = set(self._domains.hidden_peer_cells)
        for column in columns:
            cells |= self._pattern(column).hidden_peer_cells
        return tuple(sorted(cells))


def _reason(kind: SuppressionKind, minimum: int, figure: bool) -> str:
    if kind == "complementary":
        return COMPLEMENTARY_REASON
    if figure:
        return f"fewer than {minimum} responding organisations with a value"
    return f"fewer than {minimum} responding organisations"


def _domain(
    design: SurveyDesign,
    inputs: SectorInputs,
    key: DomainKey,
    min_domain: int,
    suppression: _Suppression,
) -> DomainResult:
    variable, level = key
    respondents = inputs.respondents
    if variable == "sector":
        mask = np.ones(len(respondents), dtype=bool)
        population = len(inputs.frame)
    else:
        mask = (respondents[variable] == level).to_numpy()
        population = int((inputs.frame[variable] == level).sum())
    n = int(mask.sum())
    kind = suppression.domains.get(key)
    if kind is not None:
        figures = tuple(
            _suppressed_figure(respondents, mask, name, figure_kind, min_domain, suppression, key)
            for name, figure_kind in _indicators(inputs)
        )
        reason = _reason(kind, min_domain, figure=False)
        # A complementary domain holds at least the minimum: its counts are not hidden.
        if kind == "primary":
            return DomainResult(variable, level, True, reason, None, None, figures, kind)
        return DomainResult(variable, level, True, reason, population, n, figures, kind)
    sub = design.subset(mask)
    figures = tuple(
        _figure(sub, respondents, mask, name, figure_kind, min_domain, suppression, key)
        for name, figure_kind in _indicators(inputs)
    )
    return DomainResult(variable, level, False, None, population, n, figures)


def _indicators(inputs: SectorInputs) -> list[tuple[str, FigureKind]]:
    indicators: list[tuple[str, FigureKind]] = [("global", "mean")]
    indicators += [(f"dimension:{d}", "mean") for d in inputs.dimensions]
    if inputs.typology:  # a questionnaire without typology has neither axes nor families
        indicators += [("tech", "mean"), ("transfo", "mean")]
    indicators += [(f"level:{lv}", "share") for lv in inputs.levels]
    indicators += [(f"typology:{t}", "share") for t in inputs.typology]
    return indicators


def _figure(
    design: SurveyDesign,
    respondents: pd.DataFrame,
    mask: np.ndarray,
    indicator: str,
    kind: FigureKind,
    min_domain: int,
    suppression: _Suppression,
    key: DomainKey,
) -> SectorFigure:
    column, level = _column(indicator)
    if suppression.figure(column).get(key) is not None:
        return _suppressed_figure(respondents, mask, indicator, kind, min_domain, suppression, key)

    def compute(deff: DeffReference | None) -> Estimate:
        if kind == "mean":
            return design.mean(column, deff=deff)
        return design.share(column, level, method="logit", deff=deff)

    try:
        estimate: Estimate = compute("wor")
    except StatisticsError:  # the domain is a census: no SRS reference, no design effect
        estimate = compute(None)
    deff = estimate.deff if estimate.deff is not None and np.isfinite(estimate.deff) else None
    return SectorFigure(
        indicator=indicator,
        kind=kind,
        suppressed=False,
        n=estimate.n,
        value=estimate.value,
        unweighted_value=estimate.unweighted_value,
        se=estimate.se,
        ci_low=estimate.ci_low,
        ci_high=estimate.ci_high,
        ci_method=estimate.ci_method,
        df=estimate.df,
        deff=deff,
        effective_n=estimate.n / deff if deff else None,
    )


def _suppressed_figure(
    respondents: pd.DataFrame,
    mask: np.ndarray,
    indicator: str,
    kind: FigureKind,
    min_domain: int,
    suppression: _Suppression,
    key: DomainKey,
) -> SectorFigure:
    """A figure with no number: primary (its own count is below the minimum, and hidden too) or
    complementary (its count, at least the minimum, is kept)."""
    column, _level = _column(indicator)
    hidden = suppression.figure(column)[key]
    n = int((mask & respondents[column].notna().to_numpy()).sum())
    return SectorFigure(
        indicator,
        kind,
        True,
        _reason(hidden, min_domain, figure=True),
        suppression=hidden,
        n=n if hidden == "complementary" else None,
    )


def _column(indicator: str) -> tuple[str, str | None]:
    if indicator.startswith("dimension:"):
        return indicator.split(":", 1)[1], None
    if indicator.startswith("level:"):
        return "level", indicator.split(":", 1)[1]
    if indicator.startswith("typology:"):
        return "family", indicator.split(":", 1)[1]
    return indicator, None
