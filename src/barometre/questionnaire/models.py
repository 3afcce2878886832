"""Typed models of a questionnaire and of the methodology parameters it freezes.

The models check the shape of each part (types, ranges, unknown keys). Rules that relate parts to
each other (unknown dimension, duplicate ids, goalposts in the wrong direction...) live in
`validation.py`, so that every problem of a file can be reported at once.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

ItemKind = Literal["scale", "single", "multi", "status", "percent", "number", "yesno", "text"]
Axis = Literal["tech", "transfo"]
ContextKey = Literal["organisation_type", "dwellings", "department", "perceived_maturity"]

#: Kinds whose answer is one option code.
CODED_KINDS = frozenset({"scale", "single", "status", "yesno"})
#: Kinds whose answer is a number.
NUMERIC_KINDS = frozenset({"percent", "number"})
#: Kinds that carry a list of options.
OPTION_KINDS = frozenset({"scale", "single", "multi", "status", "yesno"})

#: Answer codes shared by every item.
NOT_APPLICABLE = "NA"
DONT_KNOW = "DK"
MULTI_SEPARATOR = "|"


class _Strict(BaseModel):
    # Every number of a questionnaire is finite: `.inf` or `.nan` is refused (finite_number).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Localized(_Strict):
    """A text shown to people: French first, English available."""

    fr: str = Field(min_length=1)
    en: str | None = None

    def get(self, language: str = "fr") -> str:
        return (self.en if language == "en" else None) or self.fr


class Option(_Strict):
    """One possible answer of an item.

    `score` (0-100) is what the option is worth in `scale`, `single`, `status` and `yesno`
    items. In a `multi` item each ticked option adds its `weight` to a weighted share; an
    `exclusive` option ("none of these") stands alone and is worth `score` (0 by default).
    """

    code: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    label: Localized
    description: Localized | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    weight: float | None = Field(default=None, gt=0)
    exclusive: bool = False


class StatusRow(_Strict):
    """One practice of a `status` table, answered on the deployment ladder."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    weight: float = Field(default=1.0, gt=0)


class Goalposts(_Strict):
    """Fixed goalposts of a fact indicator: `worst` maps to 0, `best` to 100, clamped."""

    worst: float
    best: float


class Item(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    kind: ItemKind
    label: Localized
    help: Localized | None = None
    dimension: str | None = None
    axis: Axis | None = None
    roles: list[str] = Field(min_length=1)
    reference_role: str | None = None
    weight: float = Field(default=1.0, gt=0)
    scored: bool = True
    context: ContextKey | None = None
    options: list[Option] = Field(default_factory=list)
    rows: list[StatusRow] = Field(default_factory=list)
    goalposts: Goalposts | None = None
    better: Literal["higher", "lower"] | None = None
    unit: Localized | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def is_scored(self) -> bool:
        return self.scored and self.kind != "text"


class Level(_Strict):
    """A maturity level: the half-open interval [min, next level's min)."""

    code: str = Field(pattern=r"^[a-z_]+$")
    label: Localized
    min: float = Field(ge=0, lt=100)


class Typology(_Strict):
    tech_threshold: float = Field(default=50.0, ge=0, le=100)
    transfo_threshold: float = Field(default=50.0, ge=0, le=100)


class Borderline(_Strict):
    """An axis score is borderline when it is within `z` standard errors of its threshold.

    The standard error comes from the spread of the respondents' own axis scores; with a single
    respondent it is `single_respondent_se` points.
    """

    z: float = Field(default=1.0, gt=0)
    single_respondent_se: float = Field(default=5.0, ge=0)


def _default_levels() -> list[Level]:
    return [
        Level(code="tres_faible", label=Localized(fr="Très faible", en="Very low"), min=0),
        Level(code="faible", label=Localized(fr="Faible", en="Low"), min=25),
        Level(code="intermediaire", label=Localized(fr="Intermédiaire", en="Intermediate"), min=50),
        Level(code="avancee", label=Localized(fr="Avancée", en="Advanced"), min=75),
    ]


def _default_status_ladder() -> list[Option]:
    ladder = [
        ("not_considered", "Non envisagé", "Not considered", 0),
        ("planned", "Prévu", "Planned", 10),
        ("piloting", "En expérimentation", "Piloting", 40),
        ("partial", "Déployé en partie", "Partly deployed", 70),
        ("generalised", "Généralisé", "Generalised", 100),
    ]
    return [
        Option(code=code, label=Localized(fr=fr, en=en), score=score)
        for code, fr, en, score in ladder
    ]


#: The effort a best-practice sheet asks: small, medium or large.
Effort = Literal["S", "M", "L"]
Number = TypeVar("Number", int, float)


def _by_effort(small: Number, medium: Number, large: Number) -> dict[Effort, Number]:
    return {"S": small, "M": medium, "L": large}


class RecommendationWeights(_Strict):
    """Methodology §8: priority = impact x gap / effort cost x family factor; the roadmap keeps
    `roadmap_size` sheets (and their prerequisites) in horizons chosen by effort."""

    effort_cost: dict[Effort, float] = Field(default_factory=lambda: _by_effort(1.0, 2.0, 3.0))
    #: Index in `horizons` of the earliest horizon a sheet of each effort goes in.
    effort_horizon: dict[Effort, int] = Field(default_factory=lambda: _by_effort(0, 1, 2))
    #: The roadmap's horizons, in months.
    horizons: list[str] = Field(default_factory=lambda: ["0-6", "6-18", "18-36"], min_length=1)
    family_factor: float = Field(default=1.5, gt=0)
    roadmap_size: int = Field(default=8, ge=1)

    @model_validator(mode="after")
    def _every_effort_is_placed(self) -> RecommendationWeights:
        efforts = set(get_args(Effort))
        for name in ("effort_cost", "effort_horizon"):
            missing = efforts - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} needs a value for {', '.join(sorted(missing))}")
        if any(cost <= 0 for cost in self.effort_cost.values()):
            raise ValueError("every effort_cost must be greater than 0")
        last = len(self.horizons) - 1
        if any(not 0 <= index <= last for index in self.effort_horizon.values()):
            raise ValueError(f"every effort_horizon must be a horizon's index, 0 to {last}")
        return self


class Methodology(_Strict):
    """Parameters frozen by a methodology version and printed in every method annex."""

    version: str = "1.0"
    coverage_threshold: float = Field(default=0.65, gt=0, le=1)
    levels: list[Level] = Field(default_factory=_default_levels, min_length=1)
    typology: Typology = Field(default_factory=Typology)
    borderline: Borderline = Field(default_factory=Borderline)
    status_ladder: list[Option] = Field(default_factory=_default_status_ladder, min_length=2)
    #: No figure about fewer organisations leaves an organisation: sector and peer
    #: comparisons, estimate domains, changes, reliability, frequent recommendations, exports.
    disclosure_minimum: int = Field(default=5, ge=1)
    #: Responding organisations needed in every organisation type x size class cell to
    #: post-stratify (and, after collapsing, in every raking level); below it the weights are
    #: raked (docs/statistics.md).
    calibration_min_cell: int = Field(default=5, ge=1)
    recommendation: RecommendationWeights = Field(default_factory=RecommendationWeights)


class Role(_Strict):
    code: str = Field(pattern=r"^[a-z_]+$")
    label: Localized


class Dimension(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    description: Localized | None = None
    weight: float = Field(default=1.0, gt=0)
    descriptors: dict[str, Localized] = Field(default_factory=dict)


class Questionnaire(_Strict):
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: Localized
    description: Localized | None = None
    methodology: Methodology = Field(default_factory=Methodology)
    roles: list[Role] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    @property
    def scored_items(self) -> list[Item]:
        return [item for item in self.items if item.is_scored]

    def context_item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.context == key), None)
