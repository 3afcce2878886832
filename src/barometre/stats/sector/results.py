"""The sector estimate as frozen records, and their parts of the estimates file
(`contracts.estimates`).

Suppression (`disclosure`): a figure resting on fewer than `min_domain` responding
organisations carries no number at all (value, SE, interval, design effect, effective n and n
are None), only `suppressed`, `suppression` "primary" and a `reason`; a domain with fewer than
`min_domain` responding organisations is suppressed as a whole, including its population and
its count of responding organisations. A figure or domain suppressed so that no primary one can
be recovered by subtraction is "complementary": no number, but its counts are kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from barometre.contracts import estimates as contract
from barometre.contracts.estimates import SuppressionKind, VarianceMethod
from barometre.contracts.vocabulary import DomainVariable
from barometre.stats.sector.contrasts import SectorContrast
from barometre.stats.sector.weighting import WeightingReport

#: A figure is a weighted mean (scores) or a share (levels, typology families).
FigureKind = Literal["mean", "share"]


@dataclass(frozen=True)
class SectorFigure:
    """One indicator in one domain. Shares are proportions in [0, 1]."""

    indicator: str
    kind: FigureKind
    suppressed: bool
    reason: str | None = None
    suppression: SuppressionKind | None = None
    n: int | None = None
    value: float | None = None
    unweighted_value: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    df: float | None = None
    deff: float | None = None
    effective_n: float | None = None

    def record(self) -> contract.Figure:
        fields = asdict(self)
        del fields["indicator"], fields["kind"]
        return contract.Figure(**fields)


@dataclass(frozen=True)
class DomainResult:
    """All figures of one domain: the sector, or one organisation type, size class or region."""

    variable: DomainVariable
    level: str
    suppressed: bool
    reason: str | None
    population: int | None
    organisations: int | None
    figures: tuple[SectorFigure, ...]
    suppression: SuppressionKind | None = None

    def figure(self, indicator: str) -> SectorFigure:
        for figure in self.figures:
            if figure.indicator == indicator:
                return figure
        raise KeyError(indicator)

    def record(self) -> contract.DomainEstimate:
        means = {f.indicator: f.record() for f in self.figures if f.kind == "mean"}
        shares: dict[str, dict[str, contract.Figure]] = {"level": {}, "typology": {}}
        for f in self.figures:
            if f.kind == "share":
                group, name = f.indicator.split(":", 1)
                shares[group][name] = f.record()
        return contract.DomainEstimate(
            level=self.level,
            suppressed=self.suppressed,
            suppression=self.suppression,
            reason=self.reason,
            population=self.population,
            organisations=self.organisations,
            global_index=means.pop("global"),
            axes=contract.AxisFigures(tech=means.pop("tech"), transfo=means.pop("transfo"))
            if "tech" in means
            else None,
            dimensions={k.split(":", 1)[1]: v for k, v in means.items()},
            shares=contract.ShareFigures(**shares),
        )


@dataclass(frozen=True)
class SectorEstimate:
    """The barometer's sector estimate, overall and by organisation type, size class and
    region."""

    frame_size: int
    responding_organisations: int
    weighting: WeightingReport
    variance_method: str  # as the design describes it (method, replicates, seed)
    min_domain: int
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    typology: tuple[str, ...]
    domains: tuple[DomainResult, ...]
    confidence_level: float = 0.95
    design_effect_reference: str = "wor"
    #: The (organisation type, size class) cells whose peer comparison the reports must not
    #: show: with the published figures it would give a figure about too few organisations.
    hidden_peer_cells: tuple[tuple[str, str], ...] = ()
    #: Pairwise differences between organisation types and between size classes
    #: (`contrasts.domain_contrasts`), suppressed when either figure is.
    contrasts: tuple[SectorContrast, ...] = ()
    #: The variance method asked for, and why it could not be used (the replicates could not
    #: be calibrated again: linearisation instead); None when it was used.
    variance_requested: VarianceMethod | None = None
    variance_fallback: str | None = None

    def contrasts_record(self) -> tuple[contract.DomainContrast, ...]:
        return tuple(c.record() for c in self.contrasts)

    @property
    def sampling_fraction(self) -> float:
        return self.responding_organisations / self.frame_size

    def domain(self, variable: DomainVariable, level: str = "all") -> DomainResult:
        for domain in self.domains:
            if domain.variable == variable and domain.level == level:
                return domain
        raise KeyError((variable, level))

    def frame_record(self) -> contract.FrameSummary:
        return contract.FrameSummary(
            organisations=self.frame_size,
            responding_organisations=self.responding_organisations,
            sampling_fraction=self.sampling_fraction,
        )

    def method_record(self) -> contract.EstimateMethod:
        return contract.EstimateMethod(
            variance=self.variance_method,
            variance_requested=self.variance_requested,
            variance_fallback=self.variance_fallback,
            confidence_level=self.confidence_level,
            design_effect=f"against simple random sampling ({self.design_effect_reference})",
            shares="proportions in [0, 1]",
            suppression=contract.SuppressionRule(
                min_organisations=self.min_domain,
                rule="a figure or domain with fewer responding organisations carries no number "
                "(primary suppression); within each breakdown the suppressed cells hold at "
                "least this many organisations in at least two cells, and no aggregate a "
                "reader can derive from the published figures (sector, organisation types, "
                "size classes, regions) rests on fewer (complementary suppression)",
            ),
        )

    def indicators_record(self) -> contract.IndicatorNames:
        return contract.IndicatorNames(
            dimensions=self.dimensions, levels=self.levels, typology=self.typology
        )

    def domains_record(self) -> contract.Domains:
        grouped: dict[str, list[contract.DomainEstimate]] = {
            "sector": [],
            "organisation_type": [],
            "size_class": [],
            "region": [],
        }
        for domain in self.domains:
            grouped[domain.variable].append(domain.record())
        return contract.Domains(**{k: tuple(v) for k, v in grouped.items()})

    def hidden_peer_cells_record(self) -> tuple[contract.PeerComparisonCell, ...]:
        return tuple(
            contract.PeerComparisonCell(organisation_type=kind, size_class=size)
            for kind, size in self.hidden_peer_cells
        )

    def weighting_record(self) -> contract.Weighting:
        report = self.weighting
        return contract.Weighting(
            method=report.method,
            reason=report.reason,
            min_cell=report.min_cell,
            cells=tuple(contract.WeightingCell(**asdict(c)) for c in report.cells),
            margins=tuple(
                contract.Margin(
                    variable=m.variable,
                    collapsed=m.collapsed,
                    groups=tuple(contract.MarginGroup(**asdict(g)) for g in m.groups),
                )
                for m in report.margins
            ),
            notes=report.notes,
            diagnostics=contract.WeightDiagnostics(**asdict(report.diagnostics)),
        )
