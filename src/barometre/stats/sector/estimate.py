"""The sector estimate: weight the respondents to the frame, estimate every indicator by domain.

Steps: check the inputs -> calibrate to the frame (post-stratification or raking, see
`weighting`) -> optionally replicate weights (jackknife or bootstrap, calibration redone in
each replicate) -> for the sector and each organisation type, size class and region: the mean
of the global index, of every dimension and of both axes, and the share of each level and
typology family,
each with n, unweighted and weighted values, SE, 95 % CI, design effect ('wor') and effective
sample size; fewer than `min_domain` responding organisations -> suppressed, no number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

import numpy as np
import pandas as pd

from barometre.contracts.estimates import VarianceMethod
from barometre.contracts.vocabulary import DomainVariable
from barometre.errors import StatisticsError
from barometre.questionnaire.models import Methodology
from barometre.stats.arguments import check_choice, check_positive_int, fail
from barometre.stats.design import SurveyDesign
from barometre.stats.results import DeffReference, Estimate
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
VARIANCE_METHODS: tuple[VarianceMethod, ...] = get_args(VarianceMethod)


def estimate_sector(
    scores: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    dimensions: Sequence[str] | None = None,
    variance: VarianceMethod = "linearisation",
    replicates: int = 500,
    seed: int | None = 0,
    min_cell: int | None = None,
    min_domain: int | None = None,
    level_order: Sequence[str] | None = None,
    typology_order: Sequence[str] | None = None,
) -> SectorEstimate:
    """Sector figures from the scores of the responding organisations and the frame.

    dimensions: the dimension score columns (default: every column of `scores` that is not
    organisation_id, global, tech, transfo, level or family). variance: "linearisation"
    (with calibration residuals), "jackknife" (JK1) or "bootstrap" (Rao-Wu, `replicates`,
    `seed`). min_cell: respondents needed in every post-stratification cell (and, after
    collapsing, in every raking level; default: the methodology's calibration_min_cell).
    min_domain: suppression threshold (default: the methodology's disclosure_minimum).
    """
    defaults = Methodology()
    min_cell = defaults.calibration_min_cell if min_cell is None else min_cell
    min_domain = defaults.disclosure_minimum if min_domain is None else min_domain
    variance = check_choice(variance, "variance", OWNER, VARIANCE_METHODS)
    check_positive_int(min_cell, "min_cell", OWNER)
    check_positive_int(min_domain, "min_domain", OWNER)
    inputs = check_inputs(scores, frame, dimensions, level_order, typology_order)
    if inputs.respondents.empty:
        fail("scores", OWNER, "at least one responding organisation", "an empty table")
    design, report = weight_to_frame(inputs.respondents, inputs.frame, min_cell)
    if variance == "jackknife":
        design = design.jackknife()
    elif variance == "bootstrap":
        check_positive_int(replicates, "replicates", OWNER, minimum=2)
        design = design.bootstrap(replicates, seed)
    domains = tuple(
        _domain(design, inputs, variable, level, min_domain)
        for variable, level in _domains(inputs.frame)
    )
    return SectorEstimate(
        frame_size=len(inputs.frame),
        responding_organisations=len(inputs.respondents),
        weighting=report,
        variance_method=design.variance_method,
        min_domain=min_domain,
        dimensions=inputs.dimensions,
        levels=inputs.levels,
        typology=inputs.typology,
        domains=domains,
    )


def _domains(frame: pd.DataFrame) -> list[tuple[DomainVariable, str]]:
    regions = sorted(frame["region"].unique())
    domains: list[tuple[DomainVariable, str]] = [("sector", "all")]
    domains += [("organisation_type", t) for t in ORGANISATION_TYPES]
    domains += [("size_class", s) for s in SIZE_CLASSES]
    domains += [("region", r) for r in regions]
    return domains


def _domain(
    design: SurveyDesign,
    inputs: SectorInputs,
    variable: DomainVariable,
    level: str,
    min_domain: int,
) -> DomainResult:
    respondents = inputs.respondents
    if variable == "sector":
        mask = np.ones(len(respondents), dtype=bool)
        population = len(inputs.frame)
    else:
        mask = (respondents[variable] == level).to_numpy()
        population = int((inputs.frame[variable] == level).sum())
    n = int(mask.sum())
    if n < min_domain:
        reason = f"fewer than {min_domain} responding organisations"
        figures = tuple(
            SectorFigure(name, kind, True, reason) for name, kind in _indicators(inputs)
        )
        return DomainResult(variable, level, True, reason, None, None, figures)
    sub = design.subset(mask)
    figures = tuple(
        _figure(sub, respondents, mask, name, kind, min_domain)
        for name, kind in _indicators(inputs)
    )
    return DomainResult(variable, level, False, None, population, n, figures)


def _indicators(inputs: SectorInputs) -> list[tuple[str, FigureKind]]:
    indicators: list[tuple[str, FigureKind]] = [("global", "mean")]
    indicators += [(f"dimension:{d}", "mean") for d in inputs.dimensions]
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
) -> SectorFigure:
    column, level = _column(indicator)
    n = int((mask & respondents[column].notna().to_numpy()).sum())
    if n < min_domain:
        return SectorFigure(
            indicator,
            kind,
            True,
            f"fewer than {min_domain} responding organisations with a value",
        )

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
        deff=deff,
        effective_n=estimate.n / deff if deff else None,
    )


def _column(indicator: str) -> tuple[str, str | None]:
    if indicator.startswith("dimension:"):
        return indicator.split(":", 1)[1], None
    if indicator.startswith("level:"):
        return "level", indicator.split(":", 1)[1]
    if indicator.startswith("typology:"):
        return "family", indicator.split(":", 1)[1]
    return indicator, None
