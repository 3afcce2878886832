"""The estimates file (`barometre estimate`, a computed wave's sector estimate): its records.

Suppression: a figure resting on fewer than the methodology's disclosure minimum of
organisations carries no number at all (value, SE, interval, design effect, effective n and n
are null), only `suppressed`, `suppression` "primary" and a `reason`; a domain below it is
suppressed as a whole, including its population and its count of responding organisations.
A figure or domain that would let a reader recover a suppressed one by subtraction (from the
sector or another breakdown) is suppressed too, `suppression` "complementary": its numbers are
null but its counts stay, since they are at least the minimum and the protection assumes the
reader knows every count (docs/statistics.md, "Disclosure control"). Shares are proportions in
[0, 1]. docs/statistics.md explains the method; docs/schemas/estimates.schema.json is
generated from these models.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from barometre.contracts.base import FileContract, Number, Record
from barometre.contracts.scores import MethodologyRef, QuestionnaireRef
from barometre.contracts.vocabulary import DomainVariable, VarianceMethod

#: How the responding organisations are weighted to the frame (docs/statistics.md).
WeightingMethod = Literal["poststratification", "raking"]
#: Why a figure or domain carries no number: "primary", it rests on fewer organisations than
#: the disclosure minimum; "complementary", it is hidden so that a primary one cannot be
#: recovered from the published figures by subtraction.
SuppressionKind = Literal["primary", "complementary"]
#: The variance methods that use replicate weights, and may fall back to linearisation.
REPLICATE_METHODS: tuple[VarianceMethod, ...] = ("jackknife", "bootstrap")


class Figure(Record):
    """One indicator in one domain."""

    suppressed: bool
    suppression: SuppressionKind | None = Field(
        default=None,
        description="Why the figure is suppressed: primary (too few organisations) or "
        "complementary (hidden to protect another figure); null when published. Files "
        "written before complementary suppression have null here: their suppressions are "
        "primary.",
    )
    reason: str | None = None
    n: int | None = None
    value: Number = None
    unweighted_value: Number = None
    se: Number = None
    ci_low: Number = None
    ci_high: Number = None
    ci_method: str | None = None
    df: Number = Field(
        default=None,
        description="Degrees of freedom of the interval: those of the domain's design (R "
        "degf). With linearisation, the responding organisations of the domain minus the "
        "number of strata they belong to (1 without a fully enumerated cell; the fully "
        "enumerated cells are a stratum of their own, so 2 when the domain also holds some of "
        "their organisations). With the jackknife or bootstrap, the rank of the domain's "
        "replicate weights minus 1, at most its responding organisations outside the fully "
        "enumerated cells (those cells' organisations are in every replicate). Post-stratified, "
        "a domain holding W >= 1 sampled cells whole has those organisations minus W (the "
        "sector, a type, a size class: minus the number of sampled cells they cover); one "
        "holding none (a region), those organisations, minus 1 when it has no organisation of "
        "a fully enumerated cell. Null when suppressed, and in files written before it was "
        "recorded.",
    )
    deff: Number = None
    effective_n: Number = None


class AxisFigures(Record):
    tech: Figure
    transfo: Figure


class ShareFigures(Record):
    level: dict[str, Figure]
    typology: dict[str, Figure]


class DomainEstimate(Record):
    """The figures of the sector, or of one organisation type, size class or region."""

    level: str
    suppressed: bool
    suppression: SuppressionKind | None = Field(
        default=None,
        description="Why the domain is suppressed: primary or complementary; null when published.",
    )
    reason: str | None
    population: int | None = Field(description="Organisations of the frame in the domain.")
    organisations: int | None = Field(description="Responding organisations in the domain.")
    global_index: Figure = Field(alias="global")
    axes: AxisFigures | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Absent when the questionnaire has no typology (no axes).",
    )
    dimensions: dict[str, Figure]
    shares: ShareFigures

    def axis_figures(self) -> list[tuple[str, Figure]]:
        """The axes' figures by role, `tech` then `transfo`; none without a typology."""
        if self.axes is None:
            return []
        return [("tech", self.axes.tech), ("transfo", self.axes.transfo)]


class FrameSummary(Record):
    organisations: int = Field(description="Organisations of the frame.")
    responding_organisations: int
    sampling_fraction: float


class SuppressionRule(Record):
    min_organisations: int
    rule: str


class EstimateMethod(Record):
    #: The variance method as the design describes it, e.g. "linearisation",
    #: "jackknife JK1 (87 replicates)", "jackknife JKn (80 replicates)" (with a fully
    #: enumerated cell), "bootstrap (Rao-Wu rescaling, 50 replicates, seed 3)".
    variance: str
    variance_requested: VarianceMethod | None = Field(
        default=None,
        description="The variance method asked for (the command's, else the questionnaire's "
        "methodology.variance.method). Null in files written before it was recorded.",
    )
    variance_fallback: str | None = Field(
        default=None,
        description="Why `variance` is linearisation although a replicate method "
        "(jackknife or bootstrap) was requested: the sample is too sparse for the calibration "
        "to be redone in every replicate. Null when the requested method was used, and in "
        "files written before it was recorded.",
    )
    confidence_level: float
    design_effect: str
    shares: str
    suppression: SuppressionRule

    @field_validator("variance_fallback")
    @classmethod
    def _fallback_from_a_replicate_method(cls, value: str | None, info: ValidationInfo):
        """A fallback is recorded only when a replicate method was asked for and the variance
        was linearised instead."""
        if value is None:
            return value
        requested = info.data.get("variance_requested")
        if requested not in (None, *REPLICATE_METHODS):
            raise ValueError(
                f"a variance fallback is recorded only when the jackknife or the bootstrap was "
                f"requested, not {requested!r} (method.variance_requested); set it to null"
            )
        if info.data.get("variance") != "linearisation":
            raise ValueError(
                "a variance fallback means the variance was linearised, but method.variance is "
                f'{info.data.get("variance")!r}; set it to null or variance to "linearisation"'
            )
        return value


class IndicatorNames(Record):
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    typology: tuple[str, ...]


class WeightingCell(Record):
    """An organisation type x size class cell of the frame."""

    organisation_type: str
    size_class: str
    population: int
    responding_organisations: int


class MarginGroup(Record):
    label: str
    members: tuple[str, ...]
    population: int
    responding_organisations: int


class Margin(Record):
    variable: str
    collapsed: bool
    groups: tuple[MarginGroup, ...]


class WeightDiagnostics(Record):
    n: int
    sum_weights: Number
    min_weight: Number
    max_weight: Number
    mean_weight: Number
    cv_weights: Number
    kish_deff: Number
    effective_n: Number


class Weighting(Record):
    method: WeightingMethod
    reason: str
    min_cell: int
    cells: tuple[WeightingCell, ...]
    margins: tuple[Margin, ...]
    notes: tuple[str, ...]
    diagnostics: WeightDiagnostics


class Domains(Record):
    sector: tuple[DomainEstimate, ...]
    organisation_type: tuple[DomainEstimate, ...]
    size_class: tuple[DomainEstimate, ...]
    region: tuple[DomainEstimate, ...]

    def of(self, variable: DomainVariable) -> tuple[DomainEstimate, ...]:
        return getattr(self, variable)


class WeakItem(Record):
    item: str
    item_rest_correlation: Number
    alpha_if_deleted: Number


class DimensionReliability(Record):
    """Cronbach's alpha (Feldt interval), omega and the weakest items of a dimension."""

    dimension: str
    suppressed: bool
    reason: str | None = None
    organisations: int | None
    items: int | None = None
    organisations_dropped: int | None = None
    alpha: Number
    alpha_ci: tuple[Number, Number] | None
    omega: Number
    omega_note: str | None = None
    weakest_items: tuple[WeakItem, ...]


class PeerComparisonCell(Record):
    """An organisation type x size class cell of the frame, whose referents' reports compare
    them with the other organisations of the cell."""

    organisation_type: str
    size_class: str


class DomainContrast(Record):
    """The difference between two domains of one breakdown for one indicator (R `svycontrast` of
    `svyby(..., covmat=TRUE)`): `second` minus `first`, its variance V2 + V1 - 2 Cov from the
    one design. Suppressed (no number) whenever either domain's figure is."""

    variable: Literal["organisation_type", "size_class"]
    indicator: str = Field(description="'global' or 'dimension:<id>'.")
    first: str
    second: str
    suppressed: bool
    value: Number = None
    se: Number = None
    ci_low: Number = None
    ci_high: Number = None
    df: Number = Field(default=None, description="Student degrees of freedom of the interval.")
    significant: bool | None = Field(
        default=None, description="The 95 % interval excludes 0 (null when suppressed)."
    )


class EstimatesFile(FileContract):
    FORMAT: ClassVar[str] = "barometre.estimates"
    VERSION: ClassVar[int] = 2
    KIND: ClassVar[str] = "estimates file"
    V1_KEYS: ClassVar[frozenset[str]] = frozenset({"frame", "domains", "weighting"})

    format: Literal["barometre.estimates"] = "barometre.estimates"
    format_version: Literal[2] = 2
    wave_year: int | None
    questionnaire: QuestionnaireRef
    methodology: MethodologyRef
    frame: FrameSummary
    method: EstimateMethod
    indicators: IndicatorNames
    weighting: Weighting
    domains: Domains
    hidden_peer_cells: tuple[PeerComparisonCell, ...] = Field(
        default=(),
        description="The cells whose peer comparison the organisation reports do not show: "
        "with the published figures it would give a figure about fewer organisations than "
        'the disclosure minimum (docs/statistics.md, "Disclosure control"). Files written '
        "before have none here.",
    )
    reliability: tuple[DimensionReliability, ...]
    contrasts: tuple[DomainContrast, ...] = Field(
        default=(),
        description="Pairwise differences between organisation types and between size classes "
        'of the global index and each dimension (docs/statistics.md, "Domain contrasts"). '
        "Files written before have none here.",
    )

    def hides_peers_of(self, organisation_type: str | None, size_class: str | None) -> bool:
        """Whether the peer comparison of this organisation type x size class is hidden."""
        return any(
            cell.organisation_type == organisation_type and cell.size_class == size_class
            for cell in self.hidden_peer_cells
        )

    @property
    def variance_fell_back_from(self) -> VarianceMethod | None:
        """The replicate method requested but not used ("jackknife" or "bootstrap": its
        replicates could not be calibrated again, the variance was linearised), else None.
        Read from `method.variance_fallback`, or, in files written before it, from the
        weighting's note ("jackknife not possible (...)")."""
        if self.method.variance != "linearisation":
            return None
        if self.method.variance_fallback is not None:
            requested = self.method.variance_requested or "jackknife"
            return requested if requested in REPLICATE_METHODS else None
        for requested in REPLICATE_METHODS:
            start = f"{requested} not possible ("
            if any(note.startswith(start) for note in self.weighting.notes):
                return requested
        return None

    @property
    def sector(self) -> DomainEstimate:
        """The whole sector's figures."""
        return self.domains.sector[0]

    @property
    def has_sector_index(self) -> bool:
        """The sector's global index could be estimated (enough organisations answered)."""
        return self.sector.global_index.value is not None
