"""Typed models of a questionnaire and of the methodology parameters it freezes.

The models check the shape of each part (types, ranges, unknown keys). Rules that relate parts to
each other (unknown dimension, duplicate ids, goalposts in the wrong direction...) live in
`validation.py`, so that every problem of a file can be reported at once.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from barometre.contracts.vocabulary import VarianceMethod
from barometre.i18n import LANGUAGES, Language

ItemKind = Literal[
    "scale", "single", "multi", "status", "percent", "number", "yesno", "text", "path"
]
#: The two roles of the typology's axes: the first axis plays `tech`, the second `transfo`
#: (scores files, estimates and charts name the axes by role; a questionnaire may name them).
Axis = Literal["tech", "transfo"]
AXIS_ROLES: tuple[Axis, Axis] = ("tech", "transfo")
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


#: A questionnaire's languages are among those the product speaks (`i18n.LANGUAGES`: its
#: interface, its reports, its default texts); another language is a new code there and a new
#: field of `Localized`.
#: The languages of a questionnaire that declares none: French, its default, and English.
DEFAULT_LANGUAGES: tuple[Language, ...] = ("fr", "en")


class Localized(_Strict):
    """A text shown to people, one field per language (`LANGUAGES`).

    Which texts a questionnaire must have is the questionnaire's: every text in its default
    language, none in a language it does not declare (`questionnaire/languages.py`). The
    product's own texts (default levels, ladder, yes / no) have every language.
    """

    fr: str | None = Field(default=None, min_length=1)
    en: str | None = None

    def get(self, language: str = "fr", default: str | None = None) -> str:
        """The text in `language`, else in `default` (the questionnaire's default language),
        else in the first language it has (with the two languages of the product, the one it
        has: a questionnaire's text always has its default language)."""
        return getattr(self, self.language_of(language, default)) or ""

    def language_of(self, language: str = "fr", default: str | None = None) -> Language:
        """The language of the text `get(language, default)` gives."""
        # `language` first, then `default`, then the others in the product's order
        order = sorted(LANGUAGES, key=lambda code: (code != language, code != default))
        return next((code for code in order if getattr(self, code)), order[0])

    @property
    def languages(self) -> tuple[Language, ...]:
        """The languages the text is given in."""
        return tuple(code for code in LANGUAGES if getattr(self, code) is not None)


def _yes_no_codes(value: object) -> object:
    """YAML reads a bare `yes` / `no` as true / false: in a condition they are the codes."""
    if isinstance(value, list):
        return [{True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v for v in value]
    return value


class Condition(_Strict):
    """One condition of `relevant`: the answer to the earlier item `item` is one of the option
    codes `in` (for a multi item: one of them is ticked)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )

    item: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    in_: list[str] = Field(alias="in", min_length=1)

    _yes_no = field_validator("in_", mode="before")(lambda value: _yes_no_codes(value))


class Relevance(_Strict):
    """When an item (or an option) is shown and scored (questionnaire-format.md, "Conditional
    questions"): one condition `{item, in}`, or `any_of` / `all_of` a list of them."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )

    item: str | None = Field(default=None, min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)
    any_of: list[Condition] | None = Field(default=None, min_length=1)
    all_of: list[Condition] | None = Field(default=None, min_length=1)

    _yes_no = field_validator("in_", mode="before")(lambda value: _yes_no_codes(value))

    @model_validator(mode="after")
    def _one_form(self) -> Relevance:
        single = self.item is not None or self.in_ is not None
        forms = [single, self.any_of is not None, self.all_of is not None]
        if sum(forms) != 1 or (single and (self.item is None or self.in_ is None)):
            raise ValueError("relevant_form")
        return self

    @property
    def conditions(self) -> list[Condition]:
        """The conditions, in order (one for the form {item, in})."""
        if self.item is not None and self.in_ is not None:
            return [Condition(item=self.item, in_=self.in_)]
        return list(self.any_of or self.all_of or [])

    @property
    def needs_all(self) -> bool:
        """True when every condition must hold (`all_of`), False when one is enough."""
        return self.all_of is not None


class Option(_Strict):
    """One possible answer of an item.

    `score` (0-100) is what the option is worth in `scale`, `single`, `status` and `yesno`
    items. In a `multi` item each ticked option adds its `weight` to a weighted share; an
    `exclusive` option ("none of these") stands alone and is worth `score` (0 by default).
    An exclusive option with a `weight` counts in the item's denominator and, chosen, earns
    `weight x score / 100` of it (docs/questionnaire-format.md, weighted exclusive options).
    """

    code: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    label: Localized
    description: Localized | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    weight: float | None = Field(default=None, gt=0)
    exclusive: bool = False
    #: The option is shown (and may be chosen) only when this holds (conditional questions).
    relevant: Relevance | None = None


class StatusRow(_Strict):
    """One practice of a `status` table, answered on the deployment ladder."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    weight: float = Field(default=1.0, gt=0)


class PathOption(_Strict):
    """One answer of a step of a `path` item: it leads on to the step `next`, or it ends the
    path and the item is worth its `score` (exactly one of the two)."""

    code: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    label: Localized
    description: Localized | None = None
    next: str | None = None
    score: float | None = Field(default=None, ge=0, le=100)


class PathStep(_Strict):
    """One question of a `path` item, answered with one of its options."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    help: Localized | None = None
    options: list[PathOption] = Field(default_factory=list)


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
    #: One of the typology's axes (`tech`/`transfo`, or an id the typology declares).
    axis: str | None = Field(default=None, min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
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
    #: The item is shown and scored only when this holds, else it is not applicable.
    relevant: Relevance | None = None
    #: The questions of a `path` item, in order (questionnaire-format.md, "Path items").
    steps: list[PathStep] = Field(default_factory=list)

    @property
    def is_scored(self) -> bool:
        return self.scored and self.kind != "text"


class Level(_Strict):
    """A maturity level: the half-open interval [min, next level's min), or (min, next min]
    under `levels_closed: upper`."""

    code: str = Field(pattern=r"^[a-z_]+$")
    label: Localized
    min: float = Field(ge=0, lt=100)


class TypologyAxis(_Strict):
    """One of the two axes a questionnaire names itself (`typology.axes`)."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    threshold: float = Field(default=50.0, ge=0, le=100)


#: The labels of the default axes, when a questionnaire does not name its own.
DEFAULT_AXIS_LABELS: dict[str, Localized] = {
    "tech": Localized(fr="Technologie", en="Technology"),
    "transfo": Localized(fr="Transformation", en="Transformation"),
}


class Typology(_Strict):
    """The two axes and their thresholds (methodology §5).

    Without `axes`, the axes are `tech` and `transfo` with `tech_threshold` and
    `transfo_threshold`. With `axes` (exactly two), the questionnaire names its own: the first
    plays the role of `tech`, the second of `transfo`, and the two thresholds are read from
    them (validation.py refuses a `tech_threshold` that disagrees).
    """

    tech_threshold: float = Field(default=50.0, ge=0, le=100)
    transfo_threshold: float = Field(default=50.0, ge=0, le=100)
    axes: list[TypologyAxis] | None = None

    @model_validator(mode="before")
    @classmethod
    def _thresholds_from_axes(cls, data: object) -> object:
        if not isinstance(data, dict) or not isinstance(data.get("axes"), list):
            return data
        axes = data["axes"]
        filled = dict(data)
        for index, name in enumerate(("tech_threshold", "transfo_threshold")):
            if name in filled or index >= len(axes):
                continue
            axis = axes[index]
            threshold = (
                axis.threshold
                if isinstance(axis, TypologyAxis)
                else axis.get("threshold", 50.0)
                if isinstance(axis, dict)
                else None
            )
            if threshold is not None:
                filled[name] = threshold
        return filled

    @property
    def axis_ids(self) -> tuple[str, ...]:
        """The axes' ids in role order (`tech`, `transfo` by default)."""
        if self.axes is None:
            return AXIS_ROLES
        return tuple(axis.id for axis in self.axes)

    @property
    def named(self) -> bool:
        return self.axes is not None

    def role_of(self) -> dict[str, Axis]:
        """Each axis id → the role it plays (`tech` or `transfo`)."""
        return dict(zip(self.axis_ids, AXIS_ROLES, strict=False))

    def labels(self) -> dict[Axis, Localized]:
        """The label of each role's axis (the questionnaire's own, or the default ones)."""
        if self.axes is None:
            return {role: DEFAULT_AXIS_LABELS[role] for role in AXIS_ROLES}
        return {role: axis.label for role, axis in zip(AXIS_ROLES, self.axes, strict=False)}


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


class Variance(_Strict):
    """How the sector estimate's standard errors are computed (docs/statistics.md).

    `jackknife` (the default): the delete-one jackknife (JK1), the calibration redone in each
    replicate; with ~150 responding organisations and ~18 calibration parameters linearisation
    under-covers (the coverage simulation, `benchmarks/bench_coverage.py`). `linearisation`:
    Taylor linearisation with the calibration residuals. `bootstrap`: the Rao-Wu rescaling
    bootstrap, `replicates` replicates drawn from `seed` (both read by the bootstrap only).
    The method moves no score and no point estimate: only standard errors, intervals, degrees
    of freedom and design effects.
    """

    method: VarianceMethod = "jackknife"
    replicates: int = Field(default=500, ge=2)
    seed: int = Field(default=0, ge=0)


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
    #: None (`typology: null`): no axes, no family, no borderline flag.
    typology: Typology | None = Field(default_factory=Typology)
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
    #: Scoring settings (docs/questionnaire-format.md): an unanswered or "don't know" scored
    #: item counts 0 and stays in the denominator (a dimension may say otherwise), and the
    #: side on which a level's interval is closed: `lower` [min, next min), `upper` (min,
    #: next min], the lowest level then [0, next min].
    missing_as_zero: StrictBool = False  # "yes", 1: an invalid_value, not true
    levels_closed: Literal["lower", "upper"] = "lower"
    #: The sector estimate's variance method (moves no score: estimates' errors only).
    variance: Variance = Field(default_factory=Variance)


class Role(_Strict):
    code: str = Field(pattern=r"^[a-z_]+$")
    label: Localized


class Dimension(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    label: Localized
    description: Localized | None = None
    weight: float = Field(default=1.0, gt=0)
    descriptors: dict[str, Localized] = Field(default_factory=dict)
    #: The methodology's `missing_as_zero` for this dimension's items (None: the methodology's).
    missing_as_zero: StrictBool | None = None

    def counts_missing_as_zero(self, methodology: Methodology) -> bool:
        """Whether an unanswered item of this dimension counts 0 (its own setting or the
        methodology's)."""
        if self.missing_as_zero is None:
            return methodology.missing_as_zero
        return self.missing_as_zero


class Questionnaire(_Strict):
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    #: The languages of the questionnaire's texts, the first its default; None (no key in the
    #: file): French, the default, and English (`DEFAULT_LANGUAGES`).
    languages: list[Language] | None = Field(default=None, min_length=1)
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

    @property
    def declared_languages(self) -> tuple[Language, ...]:
        """The questionnaire's languages, its default first (docs/questionnaire-format.md,
        "Languages")."""
        return tuple(self.languages) if self.languages else DEFAULT_LANGUAGES

    @property
    def default_language(self) -> Language:
        return self.declared_languages[0]

    def text(self, value: Localized, language: str) -> str:
        """`value` in `language`, else in the questionnaire's default language."""
        return value.get(language, self.default_language)
