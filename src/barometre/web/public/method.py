"""The method page (`/methode/`): what the barometer measures and how, read from the
questionnaire a wave was run with (its methodology section holds every parameter, once).

It describes the latest published wave's questionnaire; before any wave is published, the
questionnaire shipped with the package. Nothing on it is about an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.contracts.estimates import EstimatesFile, VarianceMethod
from barometre.i18n import Language, language_of
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.loader import builtin_path, load_questionnaire
from barometre.questionnaire.models import Item, Questionnaire
from barometre.questionnaire.paths import ending_options
from barometre.reports.sector import (
    degrees_of_freedom_sentences,
    variance_fallback_sentence,
    variance_sentence,
)
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.public.selectors import published_waves

#: The questionnaire described before any wave is published.
DEFAULT_QUESTIONNAIRE = "hlm-2026"


@dataclass(frozen=True)
class ItemScoring:
    """How one item's answer becomes a score from 0 to 100."""

    label: str
    kind: str
    rule: str


@dataclass(frozen=True)
class DimensionMethod:
    id: str
    label: str
    description: str
    weight: str
    items: tuple[ItemScoring, ...]


@dataclass(frozen=True)
class LevelRange:
    label: str
    low: str
    high: str


@dataclass(frozen=True)
class MethodPage:
    questionnaire: Questionnaire
    title: str
    version: str
    methodology_version: str
    wave: Wave | None
    dimensions: tuple[DimensionMethod, ...]
    levels: tuple[LevelRange, ...]
    tech_threshold: str
    transfo_threshold: str
    tech_dimensions: tuple[str, ...]
    transfo_dimensions: tuple[str, ...]
    coverage: str
    minimum: int
    calibration_min_cell: int
    borderline_z: str
    scored_items: int
    roles: tuple[str, ...]
    #: Levels closed on their upper side (min, next min], the lowest [0, next min].
    levels_closed_upper: bool = False
    #: Dimensions where an unanswered question counts 0 (labels, in the questionnaire's order).
    zero_dimensions: tuple[str, ...] = ()
    #: The questionnaire has a typology (families on two axes); without, none is described.
    has_typology: bool = True
    #: The questionnaire's own names of its two axes (None: tech and transformation).
    axis_names: tuple[str, str] | None = None
    #: The variance method and degrees of freedom of the latest published wave's estimate,
    #: in words (empty before any wave is published, or without an estimate).
    variance: str = ""
    degrees_of_freedom: str = ""
    #: The variance method the margins of error are described with: the latest published
    #: wave's estimate's (linearisation when its replicates could not be used), else the
    #: questionnaire's `methodology.variance.method`.
    variance_method: VarianceMethod = "jackknife"
    #: Why the published wave's variance is linearised although a replicate method was asked
    #: for, in words (empty when it was not).
    variance_fallback: str = ""


def described_questionnaire() -> tuple[Questionnaire, str, Wave | None]:
    """The questionnaire the page describes, its YAML text and the wave it comes from."""
    wave = published_waves().first()
    if wave is not None:
        questionnaire, _tables = wave_questionnaire(wave)
        return questionnaire, wave.questionnaire_yaml, wave
    path = builtin_path(DEFAULT_QUESTIONNAIRE)
    return load_questionnaire(path), path.read_text(encoding="utf-8"), None


def method_page() -> MethodPage:
    questionnaire, _text, wave = described_questionnaire()
    language = language_of(get_language())
    estimates = wave.estimates if wave is not None else None
    methodology = questionnaire.methodology
    levels = methodology.levels
    tops = [lv.min for lv in levels[1:]] + [100.0]
    axes = _axis_dimensions(questionnaire, language)
    return MethodPage(
        questionnaire=questionnaire,
        title=questionnaire.title.get(language),
        version=questionnaire.version,
        methodology_version=methodology.version,
        wave=wave,
        dimensions=tuple(
            _dimension(questionnaire, d.id, language) for d in questionnaire.dimensions
        ),
        levels=tuple(
            LevelRange(
                lv.label.get(language),
                formatting.number(lv.min, 0, language=language),
                formatting.number(top, 0, language=language),
            )
            for lv, top in zip(levels, tops, strict=True)
        ),
        tech_threshold=""
        if methodology.typology is None
        else formatting.number(methodology.typology.tech_threshold, 0, language=language),
        transfo_threshold=""
        if methodology.typology is None
        else formatting.number(methodology.typology.transfo_threshold, 0, language=language),
        has_typology=methodology.typology is not None,
        axis_names=(
            (
                methodology.typology.labels()["tech"].get(language),
                methodology.typology.labels()["transfo"].get(language),
            )
            if methodology.typology is not None and methodology.typology.named
            else None
        ),
        tech_dimensions=axes["tech"],
        transfo_dimensions=axes["transfo"],
        coverage=formatting.share(methodology.coverage_threshold, 0, language=language),
        minimum=methodology.disclosure_minimum,
        calibration_min_cell=methodology.calibration_min_cell,
        borderline_z=formatting.number(methodology.borderline.z, 1, language=language),
        scored_items=len(questionnaire.scored_items),
        levels_closed_upper=methodology.levels_closed == "upper",
        zero_dimensions=tuple(
            d.label.get(language)
            for d in questionnaire.dimensions
            if d.counts_missing_as_zero(methodology)
        ),
        roles=tuple(role.label.get(language) for role in questionnaire.roles),
        variance="" if estimates is None else variance_sentence(estimates, language),
        degrees_of_freedom=""
        if estimates is None
        else " ".join(degrees_of_freedom_sentences(estimates, language)),
        variance_method=methodology.variance.method
        if estimates is None
        else estimated_variance_method(estimates),
        variance_fallback=""
        if estimates is None
        else variance_fallback_sentence(estimates, language),
    )


def estimated_variance_method(estimates: EstimatesFile) -> VarianceMethod:
    """The method an estimates file's variances were computed with ("jackknife JK1 (87
    replicates)" is the jackknife)."""
    variance = estimates.method.variance
    if variance.startswith("jackknife"):
        return "jackknife"
    if variance.startswith("bootstrap"):
        return "bootstrap"
    return "linearisation"


def _axis_dimensions(q: Questionnaire, language: Language) -> dict[str, tuple[str, ...]]:
    """The dimensions whose items feed each axis, in the questionnaire's order."""
    found: dict[str, list[str]] = {"tech": [], "transfo": []}
    typology = q.methodology.typology
    role_of = typology.role_of() if typology is not None else {}
    for dimension in q.dimensions:
        axes = {
            role_of.get(item.axis or "")
            for item in q.scored_items
            if item.dimension == dimension.id
        }
        for axis in ("tech", "transfo"):
            if axis in axes:
                found[axis].append(dimension.label.get(language))
    return {axis: tuple(names) for axis, names in found.items()}


def _dimension(q: Questionnaire, dimension_id: str, language: Language) -> DimensionMethod:
    dimension = q.dimension(dimension_id)
    items = [i for i in q.scored_items if i.dimension == dimension_id]
    return DimensionMethod(
        id=dimension.id,
        label=dimension.label.get(language),
        description=dimension.description.get(language) if dimension.description else "",
        weight=formatting.number(dimension.weight, 1, language=language),
        items=tuple(_scoring(item, q, language) for item in items),
    )


def _scoring(item: Item, q: Questionnaire, language: Language) -> ItemScoring:
    return ItemScoring(item.label.get(language), item.kind, scoring_rule(item, q, language))


def scoring_rule(item: Item, q: Questionnaire, language: Language) -> str:
    """In words, how the item's answer becomes a score (the goalposts of the method)."""

    def num(value: float) -> str:
        return formatting.number(value, 0 if float(value).is_integer() else 1, language=language)

    if item.kind in ("number", "percent") and item.goalposts is not None:

        def bound(value: float) -> str:
            if item.kind == "percent":
                return formatting.percent(value, 0 if value.is_integer() else 1, language=language)
            unit = f"{formatting.NBSP}{item.unit.get(language)}" if item.unit else ""
            return num(value) + unit

        return _("%(worst)s or worse gives 0, %(best)s or better gives 100, linear in between.") % {
            "worst": bound(item.goalposts.worst),
            "best": bound(item.goalposts.best),
        }
    if item.kind == "multi":

        def worth(option) -> str:
            # an exclusive option ("none of these") stands alone with its score
            return num(option.score or 0) if option.exclusive else "×" + num(option.weight or 1)

        options = ", ".join(f"{o.label.get(language)} {worth(o)}" for o in item.options)
        return _("Weighted share of the options ticked (%(options)s).") % {"options": options}
    if item.kind == "status":
        ladder = _list_separator(language).join(
            f"{o.label.get(language)} = {num(o.score or 0)}" for o in q.methodology.status_ladder
        )
        return _("Weighted mean of %(rows)s practices, each on the ladder %(ladder)s.") % {
            "rows": len(item.rows),
            "ladder": ladder,
        }
    if item.kind == "path":  # the answers that end the path, each with its question
        ends = _list_separator(language).join(
            f"{o.label.get(language)} = {num(o.score or 0)}" for o in ending_options(item)
        )
        return _("The score of the answer that ends the questions: %(answers)s.") % {
            "answers": ends
        }
    answers = effective_options(item, q.methodology)
    separator = _list_separator(language)
    return separator.join(f"{o.label.get(language)} = {num(o.score or 0)}" for o in answers)


def _list_separator(language: Language) -> str:
    return f"{formatting.NNBSP}; " if language == "fr" else "; "
