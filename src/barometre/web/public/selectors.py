"""The published sector barometer, read from a wave's sector estimate.

Only published waves are shown, and only figures the estimate did not suppress (it never gives
a number resting on fewer organisations than the methodology's disclosure minimum, nor one that
would let a reader recover such a number by subtraction: complementary suppression).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.contracts.change import ChangeFile, Difference
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.vocabulary import DomainVariable
from barometre.geo import regions_table
from barometre.i18n import Language, language_of
from barometre.questionnaire.models import Questionnaire
from barometre.reports import sector_charts as charts
from barometre.reports.contrast_sentences import difference_sentence
from barometre.reports.sector_charts import ChangeRow, Point, Series
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import WaveComparison, previous_wave_comparison
from barometre.web.labels import ORGANISATION_TYPES, SIZE_CLASSES, TYPOLOGY, WEIGHTING, label


@dataclass(frozen=True)
class Row:
    label: str
    figure: Figure
    n: int | None = None


@dataclass(frozen=True)
class GroupDimensions:
    """One dimension's score in each group of a breakdown (the table under its chart)."""

    label: str
    figures: list[Figure]


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[Row] = field(default_factory=list)
    #: The breakdown's chart (dimensions by group; for regions, the tile map of the index).
    svg: str = ""
    groups: list[str] = field(default_factory=list)
    dimensions: list[GroupDimensions] = field(default_factory=list)
    #: Which groups differ significantly on the global index, in words (the estimates'
    #: contrasts, with their covariance); empty for the regions and for older files.
    differences: str = ""


@dataclass(frozen=True)
class DimensionChange:
    label: str
    population: Difference
    panel: Difference


@dataclass(frozen=True)
class PublishedChange:
    """Change since an earlier comparable wave: of the global index (`population`, `panel`)
    and of each dimension (`rows`), with the chart and what is significant, in words."""

    year: int | None
    population: Difference
    panel: Difference
    rows: list[DimensionChange] = field(default_factory=list)
    svg: str = ""
    sentences: tuple[str, ...] = ()
    #: The caveat of `sentences`: each change is tested on its own (one sentence per list).
    caveat: str = ""


@dataclass(frozen=True)
class LevelRange:
    """A maturity level's scores on the global index: [low, high)."""

    label: str
    low: str
    high: str


@dataclass(frozen=True)
class Charts:
    """The sector's charts, the same SVG as the sector PDF's (`reports.sector_charts`)."""

    dimensions: str
    levels: str
    families: str


@dataclass(frozen=True)
class SectorPage:
    wave: Wave
    estimates: EstimatesFile
    overall: DomainEstimate
    dimensions: list[Row]
    levels: list[Row]
    families: list[Row]
    breakdowns: list[Breakdown]
    weighting: str
    change: PublishedChange | None
    #: The methodology's disclosure minimum: no figure about fewer organisations is shown.
    minimum: int
    charts: Charts | None = None
    #: The levels' ranges and the typology's thresholds, as the questionnaire sets them.
    level_ranges: tuple[LevelRange, ...] = ()
    #: The same ranges in a sentence: "Very low from 0 to under 25; Low from 25…".
    levels_text: str = ""
    #: The levels are closed on their upper side: (min, next min], the lowest [0, next min].
    levels_closed_upper: bool = False
    tech_threshold: str = ""
    transfo_threshold: str = ""
    #: The questionnaire has a typology (families on two axes); without, no family is shown.
    has_typology: bool = True
    #: The questionnaire's own names of its two axes (None: technology and transformation).
    axis_names: tuple[str, str] | None = None
    #: Some figure is hidden to protect another (complementary suppression): the page says why.
    complementary: bool = False
    #: How this wave compares with the last published wave before it: which dimensions are
    #: comparable, and why the others are not (None when there is no earlier published wave).
    comparison: WaveComparison | None = None


def published_waves():
    return Wave.objects.filter(status=Wave.Status.PUBLISHED).order_by("-year")


def sector_page(*, wave: Wave) -> SectorPage:
    questionnaire, _tables = wave_questionnaire(wave)
    language = language_of(get_language())
    estimates = wave.estimates
    if estimates is None:
        raise ValueError("the wave has no sector estimate")
    overall = estimates.sector
    dimension_labels = {d.id: d.label.get(language) for d in questionnaire.dimensions}
    level_labels = {lv.code: lv.label.get(language) for lv in questionnaire.methodology.levels}
    regions = regions_table()["name"].to_dict()
    names: tuple[tuple[DomainVariable, str, Callable[[str], str]], ...] = (
        (
            "organisation_type",
            _("By type of organisation"),
            lambda code: label(ORGANISATION_TYPES, code),
        ),
        ("size_class", _("By size"), lambda code: label(SIZE_CLASSES, code)),
        ("region", _("By region"), lambda code: regions.get(code, code)),
    )
    minimum = estimates.method.suppression.min_organisations
    breakdowns = [
        _breakdown(wave, variable, title, name, dimension_labels, language, minimum)
        for variable, title, name in names
    ]
    dimensions = [Row(dimension_labels.get(k, k), v) for k, v in overall.dimensions.items()]
    levels = [Row(level_labels.get(k, k), v) for k, v in overall.shares.level.items()]
    families = [Row(label(TYPOLOGY, k), v) for k, v in overall.shares.typology.items()]
    typology = questionnaire.methodology.typology
    ranges = _level_ranges(questionnaire, language)
    return SectorPage(
        wave=wave,
        estimates=estimates,
        overall=overall,
        dimensions=dimensions,
        levels=levels,
        families=families,
        breakdowns=breakdowns,
        weighting=label(WEIGHTING, estimates.weighting.method),
        change=_change(wave, dimension_labels, language, minimum),
        comparison=previous_wave_comparison(wave),
        minimum=minimum,
        charts=Charts(
            dimensions=_cached(
                wave,
                language,
                "dimensions",
                lambda: charts.interval_chart(
                    _points(dimensions),
                    language,
                    title=_("Score by dimension (0-100)"),
                    minimum=minimum,
                ),
            ),
            levels=_cached(
                wave,
                language,
                "levels",
                lambda: charts.share_chart(
                    _points(levels),
                    language,
                    title=_("Share of organisations by maturity level"),
                    minimum=minimum,
                ),
            ),
            families=_cached(
                wave,
                language,
                "families",
                lambda: charts.share_chart(
                    _points(families),
                    language,
                    title=_("Share of organisations by family"),
                    minimum=minimum,
                ),
            )
            if families  # a questionnaire without typology has no families
            else "",
        ),
        level_ranges=ranges,
        levels_text=_levels_text(ranges, questionnaire.methodology.levels_closed, language),
        levels_closed_upper=questionnaire.methodology.levels_closed == "upper",
        tech_threshold=""
        if typology is None
        else formatting.number(typology.tech_threshold, 0, language=language),
        transfo_threshold=""
        if typology is None
        else formatting.number(typology.transfo_threshold, 0, language=language),
        has_typology=typology is not None,
        axis_names=(
            (typology.labels()["tech"].get(language), typology.labels()["transfo"].get(language))
            if typology is not None and typology.named
            else None
        ),
        complementary=any(
            row.figure.suppression == "complementary"
            for breakdown in breakdowns
            for row in breakdown.rows
        ),
    )


def _cached(wave: Wave, language: Language, name: str, make: Callable[[], str]) -> str:
    """A chart made once per wave, language and figures (drawing one takes about a second),
    not at every visit of the public page: the key names the estimate and change it shows."""
    files = wave.estimates.dumps() if wave.estimates is not None else ""
    files += wave.change.dumps() if wave.change is not None else ""
    digest = hashlib.sha256(files.encode()).hexdigest()[:16]
    key = f"sector-chart:{wave.pk}:{language}:{name}:{digest}"
    return str(cache.get_or_set(key, make, timeout=None))


def _semicolon(language: Language) -> str:
    return f"{formatting.NNBSP}; " if language == "fr" else "; "


def _points(rows: list[Row]) -> list[Point]:
    return [Point.of(row.label, row.figure) for row in rows]


def _levels_text(ranges: tuple[LevelRange, ...], closed: str, language: Language) -> str:
    """The levels in one sentence: "from 0 to under 25" each, or under levels closed on
    their upper side "from 0 to 25", then "above 25 up to 50"."""
    if closed != "upper":
        return _semicolon(language).join(
            f"{r.label} " + _("from %(low)s to under %(high)s") % {"low": r.low, "high": r.high}
            for r in ranges
        )
    return _semicolon(language).join(
        f"{r.label} "
        + (_("from %(low)s to %(high)s") if n == 0 else _("above %(low)s up to %(high)s"))
        % {"low": r.low, "high": r.high}
        for n, r in enumerate(ranges)
    )


def _level_ranges(questionnaire: Questionnaire, language: Language) -> tuple[LevelRange, ...]:
    """Each level's range of the global index: from its minimum to the next level's."""
    levels = questionnaire.methodology.levels
    tops = [lv.min for lv in levels[1:]] + [100.0]
    return tuple(
        LevelRange(
            lv.label.get(language),
            formatting.number(lv.min, 0, language=language),
            formatting.number(top, 0, language=language),
        )
        for lv, top in zip(levels, tops, strict=True)
    )


def _breakdown(
    wave: Wave,
    variable: DomainVariable,
    title: str,
    name: Callable[[str], str],
    dimension_labels: dict[str, str],
    language: Language,
    minimum: int,
) -> Breakdown:
    """A breakdown's table of the global index by group, and its chart: the regions on a
    tile map, the other breakdowns' dimension scores by group."""
    estimates = wave.estimates
    assert estimates is not None  # a wave whose page is shown has its estimate
    domains = estimates.domains.of(variable)
    rows = [Row(name(d.level), d.global_index, d.organisations) for d in domains]
    if variable == "region":
        svg = _cached(
            wave,
            language,
            variable,
            lambda: charts.region_tile_map(
                {d.level: Point.of(name(d.level), d.global_index) for d in domains},
                language,
                title=_("Global index by region"),
                minimum=minimum,
            ),
        )
        return Breakdown(title, rows, svg)
    keys = list(estimates.indicators.dimensions)
    groups = [name(d.level) for d in domains]
    table = [
        GroupDimensions(
            dimension_labels.get(key, key),
            [d.dimensions[key] for d in domains if key in d.dimensions],
        )
        for key in keys
    ]
    series = [
        Series(
            group,
            tuple(Point.of(dimension_labels.get(key, key), d.dimensions.get(key)) for key in keys),
        )
        for group, d in zip(groups, domains, strict=True)
    ]
    svg = _cached(
        wave,
        language,
        variable,
        lambda: charts.grouped_interval_chart(
            [dimension_labels.get(key, key) for key in keys],
            series,
            language,
            title=_("Score by dimension (0-100)") + " — " + title.lower(),
            minimum=minimum,
        ),
    )
    differences = difference_sentence(estimates.contrasts, variable, title, name, language)
    return Breakdown(title, rows, svg, groups, table, differences)


def _change(
    wave: Wave, dimension_labels: dict[str, str], language: Language, minimum: int
) -> PublishedChange | None:
    """Change since the previous comparable wave (stored at computation): the population
    change and the panel change of the organisations that answered both, of the global index
    and of each dimension."""
    if wave.change is None:
        return None
    change = wave.change.indicator("global")
    if change is None:
        return None
    rows = [DimensionChange(_("Global index"), change.population, change.panel)]
    rows += _dimension_changes(wave.change, dimension_labels)
    chart_rows = [
        ChangeRow(row.label, Point.of(row.label, row.population), Point.of(row.label, row.panel))
        for row in rows
    ]
    return PublishedChange(
        year=wave.change.before_year,
        population=change.population,
        panel=change.panel,
        rows=rows,
        svg=_cached(
            wave,
            language,
            "change",
            lambda: charts.change_chart(
                chart_rows,
                language,
                title=_("Change since the previous wave (points)"),
                minimum=minimum,
            ),
        ),
        sentences=charts.change_sentences(chart_rows, language, minimum=minimum),
        caveat=charts.change_caveat(language),
    )


def _dimension_changes(
    change: ChangeFile, dimension_labels: dict[str, str]
) -> list[DimensionChange]:
    found = []
    for key, text in dimension_labels.items():
        indicator = change.indicator(key)
        if indicator is not None:
            found.append(DimensionChange(text, indicator.population, indicator.panel))
    return found
