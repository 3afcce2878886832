"""The sector report's content, from the files of `barometre estimate` (and, when given, of
`barometre compare` and `barometre score` for the most frequent recommendations)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from barometre import formatting
from barometre.contracts.change import ChangeFile, IndicatorChange
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.scores import ScoresFile
from barometre.contracts.vocabulary import DomainVariable
from barometre.geo import region_names
from barometre.i18n import Language
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library, recommend
from barometre.reports.contrast_sentences import difference_sentence
from barometre.reports.texts import axis_names, texts
from barometre.scoring.organisation_answers import OrganisationAnswers
from barometre.scoring.typology import level_index

#: The breakdowns the report shows by domain.
BREAKDOWNS: tuple[DomainVariable, ...] = ("organisation_type", "size_class", "region")


@dataclass(frozen=True)
class Frequent:
    title: str
    sheet_id: str
    share: float  # of the organisations with a roadmap
    count: int


@dataclass(frozen=True)
class AnnexSection:
    """A heading of the method annex and its sentences, every figure read from the files and
    the questionnaire's methodology section."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    name: str
    svg: str
    caption: str


@dataclass(frozen=True)
class SectorReport:
    language: Language
    title: str
    questionnaire: Questionnaire
    estimates: EstimatesFile
    overall: DomainEstimate
    dimension_labels: dict[str, str]
    level_labels: dict[str, str]
    region_labels: dict[str, str]
    change: ChangeFile | None
    frequent: list[Frequent]
    frequent_n: int
    synthetic: bool
    #: A figure of the breakdowns is hidden to protect another (complementary suppression):
    #: the report says why under the tables.
    complementary: bool = False
    wave_year: int | None = None
    report_date: date | None = None
    size_labels: dict[str, str] = field(default_factory=dict)
    #: Each role's axis as a heading ("Tech axis", or the questionnaire's own label); empty
    #: without a typology.
    axis_labels: dict[str, str] = field(default_factory=dict)
    #: The board's page: the global index and its change in words, then key messages.
    headline: str = ""
    change_sentence: str = ""
    key_messages: tuple[str, ...] = ()
    annex: tuple[AnnexSection, ...] = ()
    #: The sector charts (SVG with their text alternative), none when not asked for.
    charts: tuple[Chart, ...] = ()
    #: Per breakdown (organisation type, size class): which groups differ significantly on
    #: the global index, in words (`contrast_sentences`); empty for files without contrasts.
    difference_sentences: dict[str, str] = field(default_factory=dict)
    #: No library of sheets fits the questionnaire (`recommend.library_for`): no frequent
    #: recommendations, and the report says why.
    no_library: bool = False

    @property
    def disclosure_minimum(self) -> int:
        return self.questionnaire.methodology.disclosure_minimum

    @property
    def confidence(self) -> str:
        """The confidence level as a percentage ("95 %")."""
        return formatting.share(self.estimates.method.confidence_level, 0, language=self.language)

    @property
    def date_text(self) -> str:
        return long_date(self.report_date, self.language) if self.report_date else ""

    def chart(self, name: str) -> Chart | None:
        return next((c for c in self.charts if c.name == name), None)

    @property
    def panel_hidden(self) -> bool:
        """A panel change is hidden to protect the few organisations that left or joined:
        the report says why under the change table."""
        return self.change is not None and any(
            isinstance(c, IndicatorChange) and c.panel.suppression == "complementary"
            for c in self.change.indicators.values()
        )


#: The size classes' names for a reader (texts keys).
SIZE_TEXT_KEYS = {
    "<1500": "size_below_1500",
    "1500-12000": "size_1500_12000",
    ">12000": "size_above_12000",
}
#: How an interval was built (the estimates' `ci_method`), in the reader's words: the annex
#: names the methods the file used, and only those.
INTERVAL_TEXT_KEYS = {
    "wald (student)": "interval_wald_student",
    "wald": "interval_wald",
    "student": "interval_student",
    "replicate": "interval_replicate",
    "logit": "interval_logit",
    "korn-graubard": "interval_korn_graubard",
}
VARIANCE_TEXT_KEYS = {
    "linearisation": "variance",
    "jackknife": "variance_jackknife",
    "bootstrap": "variance_bootstrap",
}


def long_date(day: date, language: Language) -> str:
    """ "2 décembre 2026" / "2 December 2026"."""
    month = texts(language)[f"month_{day.month}"]
    return f"{day.day}{formatting.NBSP}{month}{formatting.NBSP}{day.year}"


def _published(figure: Figure | None) -> bool:
    return figure is not None and not figure.suppressed and figure.value is not None


def level_label(value: float, questionnaire: Questionnaire, language: Language) -> str:
    """The methodology's level of a score (levels are half-open intervals from their min, or
    closed on their upper side under `levels_closed: upper`: `scoring.typology.levels_of`)."""
    method = questionnaire.methodology
    return method.levels[level_index(value, method)].label.get(language)


class _Words:
    """The texts of one language and its number formats, for the sentences of the report."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.t = texts(language)

    def number(self, value: float | None, places: int = 1) -> str:
        return formatting.number(value, places, language=self.language)

    def interval(self, figure: Figure, places: int = 1) -> str:
        return formatting.interval(figure.ci_low, figure.ci_high, places, language=self.language)

    def share(self, value: float | None, places: int = 1) -> str:
        return formatting.share(value, places, language=self.language)


def headline_sentence(
    estimates: EstimatesFile, questionnaire: Questionnaire, language: Language
) -> str:
    words = _Words(language)
    figure = estimates.sector.global_index
    minimum = questionnaire.methodology.disclosure_minimum
    if not _published(figure):
        return words.t["summary_no_index"].format(minimum=minimum)
    assert figure.value is not None
    return words.t["summary_global"].format(
        value=words.number(figure.value),
        level=level_label(figure.value, questionnaire, language),
        confidence=words.share(estimates.method.confidence_level, 0),
        interval=words.interval(figure),
        n=formatting.count(figure.n, language=language),
    )


def change_sentence(
    change: ChangeFile | None, questionnaire: Questionnaire, language: Language
) -> str:
    """The change of the global index since the last wave, said in words: a rise or a fall
    only when its interval leaves out zero."""
    words = _Words(language)
    if change is None:
        return words.t["sector_no_previous"]
    since = (
        words.t["since_year"].format(year=change.before_year)
        if change.before_year
        else words.t["since_previous"]
    )
    indicator = change.indicator("global")
    if indicator is None or indicator.population.suppressed:
        return words.t["change_not_shown"].format(
            since=since, minimum=questionnaire.methodology.disclosure_minimum
        )
    population = indicator.population
    assert population.value is not None
    low, high = population.ci_low, population.ci_high
    values = {
        "since": since,
        "value": words.number(abs(population.value)),
        "interval": formatting.interval(low, high, language=language),
        "previous": words.number(indicator.previous),
        "current": words.number(indicator.current),
    }
    if low is not None and low > 0:
        return words.t["change_up"].format(**values)
    if high is not None and high < 0:
        return words.t["change_down"].format(**values)
    values["value"] = formatting.signed(population.value, language=language)
    return words.t["change_stable"].format(**values)


def key_messages(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    change: ChangeFile | None,
    language: Language,
) -> tuple[str, ...]:
    """Three or four messages read from the figures: the strongest and weakest dimensions, the
    largest family, the spread between size classes, the dimensions that moved."""
    words = _Words(language)
    sector = estimates.sector
    messages: list[str] = []
    dimensions = [
        (d.label.get(language), sector.dimensions[d.id])
        for d in questionnaire.dimensions
        if _published(sector.dimensions.get(d.id))
    ]
    if len(dimensions) >= 2:
        ranked = sorted(dimensions, key=lambda pair: pair[1].value or 0.0)
        (weakest, low), (strongest, high) = ranked[0], ranked[-1]
        messages.append(
            words.t["message_dimensions"].format(
                strongest=strongest,
                high=words.number(high.value),
                weakest=weakest,
                low=words.number(low.value),
            )
        )
    families = [(code, f) for code, f in sector.shares.typology.items() if _published(f)]
    if families:
        code, largest = max(families, key=lambda pair: pair[1].value or 0.0)
        messages.append(
            words.t["message_family"].format(
                family=words.t.get(code, code), share=words.share(largest.value, 0)
            )
        )
    sizes = [d for d in estimates.domains.size_class if _published(d.global_index)]
    if len(sizes) >= 2:
        ranked_sizes = sorted(sizes, key=lambda d: d.global_index.value or 0.0)
        small, large = ranked_sizes[0], ranked_sizes[-1]
        messages.append(
            words.t["message_sizes"].format(
                high_class=size_label(large.level, language),
                high=words.number(large.global_index.value),
                low_class=size_label(small.level, language),
                low=words.number(small.global_index.value),
            )
        )
    if change is not None:
        moved = _moved_dimensions(change, questionnaire, language)
        messages.append(
            words.t["message_moved"].format(dimensions=moved)
            if moved
            else words.t["message_none_moved"]
        )
    return tuple(messages)


def _moved_dimensions(change: ChangeFile, questionnaire: Questionnaire, language: Language) -> str:
    """The dimensions whose population change leaves zero out of its interval, with it."""
    moved = []
    for dimension in questionnaire.dimensions:
        indicator = change.indicator(dimension.id)
        if indicator is None or indicator.population.suppressed:
            continue
        p = indicator.population
        if (p.ci_low is not None and p.ci_low > 0) or (p.ci_high is not None and p.ci_high < 0):
            moved.append(
                f"{dimension.label.get(language)} ({formatting.signed(p.value, language=language)})"
            )
    return ", ".join(moved)


def size_label(size_class: str, language: Language) -> str:
    """ "moins de 1 500 logements", its thousands never broken across lines (the catalogue's
    entries, shared with the web, have plain spaces)."""
    key = SIZE_TEXT_KEYS.get(size_class)
    text = texts(language)[key] if key else size_class
    return re.sub(r"(?<=\d) (?=\d{3}\b)", formatting.NNBSP, text)


def _interval_methods(estimates: EstimatesFile, words: _Words) -> str:
    """The interval methods the file used, each named once, in the reader's words."""
    used: list[str] = []
    for variable in ("sector", *BREAKDOWNS):
        for domain in estimates.domains.of(variable):
            figures = [domain.global_index, *(f for _role, f in domain.axis_figures())]
            figures += [*domain.dimensions.values(), *domain.shares.level.values()]
            figures += list(domain.shares.typology.values())
            for figure in figures:
                if figure.ci_method:
                    key = next(
                        (
                            k
                            for p, k in INTERVAL_TEXT_KEYS.items()
                            if figure.ci_method.startswith(p)
                        ),
                        None,
                    )
                    text = words.t[key] if key else figure.ci_method
                    if text not in used:
                        used.append(text)
    return ", ".join(used)


def census_cells(estimates: EstimatesFile) -> tuple[tuple[str, str], ...]:
    """The fully enumerated organisation type x size class cells (every organisation of the
    cell answered) when the file is post-stratified: they form a stratum of their own,
    sampled with certainty, which contributes no variance (`stats.sector.weighting`). Raking
    makes no such stratum."""
    if estimates.weighting.method != "poststratification":
        return ()
    return tuple(
        (c.organisation_type, c.size_class)
        for c in estimates.weighting.cells
        if 0 < c.population == c.responding_organisations
    )


def _cells_text(estimates: EstimatesFile, language: Language) -> str:
    return ", ".join(
        f"{kind} ({size_label(size, language)})" for kind, size in census_cells(estimates)
    )


def variance_sentence(estimates: EstimatesFile, language: Language) -> str:
    """The variance method of the file in words (with the number of jackknife replicates):
    JK1 leaves one responding organisation out in each replicate; JKn, the jackknife of a
    design with a fully enumerated stratum, one organisation of the sampled stratum."""
    t = texts(language)
    variance = estimates.method.variance
    replicates = re.search(r"\((\d+) replicates", variance)
    if variance.startswith("jackknife") and replicates:
        count = formatting.count(int(replicates.group(1)), language=language)
        if variance.startswith("jackknife JKn"):
            return t["variance_jackknife_jkn_count"].format(
                replicates=count, cells=_cells_text(estimates, language)
            )
        return t["variance_jackknife_count"].format(replicates=count)
    key = next((k for p, k in VARIANCE_TEXT_KEYS.items() if variance.startswith(p)), None)
    return t[key] if key else variance


def change_variance_sentence(change: ChangeFile, language: Language) -> str:
    """How the change file's variances were computed: from each wave's replicate weights
    (the covariance from the linearised correlation), or linearised (the method asked, a
    file written before `method.variance`, or replicates that were not possible)."""
    t = texts(language)
    used, fallback = change.method.variance, change.method.variance_fallback
    if used in ("jackknife", "bootstrap"):
        return t["annex_change_replicates"].format(method=t[f"change_method_{used}"])
    requested = None if fallback is None else fallback.split(" ", 1)[0]
    if requested in ("jackknife", "bootstrap"):
        return t["annex_change_fallback"].format(method=t[f"change_method_{requested}"])
    return t["annex_change_linearised"]


def variance_fallback_sentence(estimates: EstimatesFile, language: Language) -> str:
    """Why the variance is linearised although the jackknife or the bootstrap was asked for;
    empty when the requested method was used."""
    requested = estimates.variance_fell_back_from
    if requested is None:
        return ""
    return texts(language)[f"variance_fallback_{requested}"]


def multiple_comparisons_sentence(estimates: EstimatesFile, language: Language) -> str:
    """The caveat of the report's "ahead of" sentences: each published pair of groups on the
    global index is tested at 5 %, without correction for multiple comparisons; empty when
    the file has no published difference of the global index (no such sentence)."""
    shown = [c for c in estimates.contrasts if c.indicator == "global" and not c.suppressed]
    if not shown:
        return ""
    return texts(language)["annex_multiple_comparisons"].format(
        pairs=formatting.count(len(shown), language=language),
        significant=formatting.count(sum(bool(c.significant) for c in shown), language=language),
    )


def degrees_of_freedom_sentences(estimates: EstimatesFile, language: Language) -> tuple[str, ...]:
    """The degrees of freedom of the intervals: the rule and the values the file used (none
    for a file written before figures carried their df)."""
    sector = estimates.sector.global_index.df
    values = [
        figure.df
        for variable in BREAKDOWNS
        for domain in estimates.domains.of(variable)
        for figure in (domain.global_index,)
        if not figure.suppressed and figure.df is not None
    ]
    if sector is None or not values:
        return ()
    t = texts(language)
    linearised = estimates.method.variance == "linearisation"
    key = "annex_df_linearisation" if linearised else "annex_df_replicates"
    if census_cells(estimates):  # a stratified design: the fully enumerated cells and the rest
        key += "_strata"

    def whole(value: float) -> str:
        return formatting.number(value, 0, language=language)

    return (t[key].format(sector=whole(sector), low=whole(min(values)), high=whole(max(values))),)


def method_annex(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    change: ChangeFile | None,
    language: Language,
) -> tuple[AnnexSection, ...]:
    """The method annex: every number is read from the estimates, the change file or the
    questionnaire's methodology section (a missing text is a KeyError here, not a blank)."""
    words = _Words(language)
    t = words.t
    method = questionnaire.methodology
    frame = estimates.frame
    weighting = estimates.weighting
    diagnostics = weighting.diagnostics
    minimum = method.disclosure_minimum
    levels = ", ".join(
        f"{lv.label.get(language)} "
        + t["above_score" if n and method.levels_closed == "upper" else "from_score"].format(
            min=words.number(lv.min, 0)
        )
        for n, lv in enumerate(method.levels)
    )
    sections = [
        AnnexSection(
            t["annex_sample"],
            (
                t["annex_frame"].format(
                    responding=formatting.count(frame.responding_organisations, language=language),
                    organisations=formatting.count(frame.organisations, language=language),
                    share=words.share(frame.sampling_fraction, 0),
                ),
                t["annex_coverage"].format(coverage=words.share(method.coverage_threshold, 0)),
                t["annex_n"],
            ),
        ),
        AnnexSection(
            t["annex_weighting"],
            (
                t[
                    "annex_weighting_poststratification_census"
                    if census_cells(estimates)
                    else f"annex_weighting_{weighting.method}"
                ].format(
                    min_cell=method.calibration_min_cell, cells=_cells_text(estimates, language)
                ),
                t["annex_weights"].format(
                    kish=words.number(diagnostics.kish_deff, 2),
                    effective=words.number(diagnostics.effective_n, 0),
                    low=words.number(diagnostics.min_weight, 2),
                    high=words.number(diagnostics.max_weight, 2),
                ),
            ),
        ),
        AnnexSection(
            t["annex_variance"],
            (
                variance_sentence(estimates, language) + ".",
                t["annex_intervals"].format(
                    confidence=words.share(estimates.method.confidence_level, 0),
                    methods=_interval_methods(estimates, words),
                ),
                *degrees_of_freedom_sentences(estimates, language),
                *filter(None, (variance_fallback_sentence(estimates, language),)),
            ),
        ),
        *(
            (AnnexSection(t["annex_comparisons"], (caveat,)),)
            if (caveat := multiple_comparisons_sentence(estimates, language))
            else ()
        ),
        AnnexSection(
            t["annex_disclosure"],
            (t["annex_disclosure_rule"].format(minimum=minimum),),
        ),
        AnnexSection(
            t["annex_levels"],
            (
                t["annex_levels_rule"].format(levels=levels),
                *(
                    ()
                    if method.typology is None  # no typology: no family rule
                    else (
                        t["annex_families_rule"].format(
                            tech=words.number(method.typology.tech_threshold, 0),
                            transfo=words.number(method.typology.transfo_threshold, 0),
                        ),
                    )
                ),
            ),
        ),
        AnnexSection(t["reliability"], (t["annex_reliability"].format(minimum=minimum),)),
    ]
    if change is not None:
        sections.append(
            AnnexSection(
                t["change"],
                (t["annex_change"].format(variance=change_variance_sentence(change, language)),),
            )
        )
    sections.append(
        AnnexSection(
            t["annex_versions"],
            (
                t["annex_versions_line"].format(
                    questionnaire=f"{questionnaire.id} {questionnaire.version}",
                    methodology=method.version,
                ),
            ),
        )
    )
    return tuple(sections)


def sector_charts(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    change: ChangeFile | None,
    language: Language,
    *,
    for_print: bool = True,
) -> tuple[Chart, ...]:
    """The sector charts (`sector_charts`), each with its caption; text drawn as paths for
    print, so that every PDF renderer shows the same (the SVG keeps its title and
    description for screen readers, and the table of the same figures follows it)."""
    from barometre.reports import sector_charts as draw  # matplotlib: only when drawn

    t = texts(language)
    minimum = questionnaire.methodology.disclosure_minimum
    confidence = formatting.share(estimates.method.confidence_level, 0, language=language)
    sector = estimates.sector
    dimensions = [
        draw.Point.of(d.label.get(language), sector.dimensions.get(d.id))
        for d in questionnaire.dimensions
    ]
    charts = [
        Chart(
            "dimensions",
            draw.interval_chart(
                dimensions,
                language,
                title=t["dimensions"],
                minimum=minimum,
                for_print=for_print,
            ),
            t["chart_dimensions"].format(confidence=confidence),
        ),
        Chart(
            "levels",
            draw.share_chart(
                [
                    draw.Point.of(lv.label.get(language), sector.shares.level.get(lv.code))
                    for lv in questionnaire.methodology.levels
                ],
                language,
                title=t["levels"],
                minimum=minimum,
                for_print=for_print,
            ),
            t["chart_levels"],
        ),
        Chart(
            "families",
            draw.share_chart(
                [draw.Point.of(t.get(code, code), f) for code, f in sector.shares.typology.items()],
                language,
                title=t["families"],
                minimum=minimum,
                for_print=for_print,
            ),
            t["chart_families"],
        ),
        Chart(
            "regions",
            draw.region_tile_map(
                {d.level: draw.Point.of(d.level, d.global_index) for d in estimates.domains.region},
                language,
                title=t["by_region"],
                minimum=minimum,
                for_print=for_print,
            ),
            t["chart_regions"].format(minimum=minimum),
        ),
    ]
    if not sector.shares.typology:  # a questionnaire without typology: no families chart
        charts = [chart for chart in charts if chart.name != "families"]
    if change is not None:
        rows = [
            draw.ChangeRow(label, draw.Point.of(label, c.population), draw.Point.of(label, c.panel))
            for key, label in _change_labels(questionnaire, language)
            if (c := change.indicator(key)) is not None
        ]
        if rows:
            charts.append(
                Chart(
                    "change",
                    draw.change_chart(
                        rows,
                        language,
                        title=t["change"],
                        minimum=minimum,
                        for_print=for_print,
                    ),
                    t["chart_change"],
                )
            )
    return tuple(charts)


def _change_labels(questionnaire: Questionnaire, language: Language) -> list[tuple[str, str]]:
    t = texts(language)
    return [("global", t["global"])] + [
        (d.id, d.label.get(language)) for d in questionnaire.dimensions
    ]


def has_complementary(estimates: EstimatesFile) -> bool:
    """Whether a figure the report shows by domain (global index, axes) is hidden to protect
    another one."""
    return any(
        figure.suppression == "complementary"
        for variable in BREAKDOWNS
        for domain in estimates.domains.of(variable)
        for figure in (domain.global_index, *(f for _role, f in domain.axis_figures()))
    )


def frequent_recommendations(
    scores: ScoresFile,
    questionnaire: Questionnaire,
    library: Library,
    language: Language = "fr",
    top: int = 10,
    answers: Mapping[str, OrganisationAnswers] | None = None,
) -> tuple[list[Frequent], int]:
    """How often each sheet is in an organisation's roadmap (aggregates of at least the
    methodology's disclosure minimum). `answers`: each organisation's answers by id, for the
    sheets triggered by an answer (without them, only scores trigger sheets)."""
    minimum = questionnaire.methodology.disclosure_minimum
    counts: Counter[str] = Counter()
    organisations = [o for o in scores.organisations if o.scored]
    for org in organisations:
        own = answers.get(org.organisation_id) if answers is not None else None
        counts.update(
            r.sheet.id for r in recommend(org, questionnaire, library, answers=own).roadmap
        )
    n = len(organisations)
    if n < minimum:
        return [], n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [
        Frequent(library.sheet(i).title.get(language), i, c / n, c)
        for i, c in ranked
        if c >= minimum
    ], n


def build_sector_report(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    *,
    title: str = "",
    change: ChangeFile | None = None,
    scores: ScoresFile | None = None,
    library: Library | None = None,
    language: Language = "fr",
    report_date: date | None = None,
    charts: bool = True,
    for_print: bool = True,
    answers: Mapping[str, OrganisationAnswers] | None = None,
) -> SectorReport:
    """`report_date` defaults to today; `charts=False` leaves the charts out (the tables keep
    every figure); `for_print`: the charts' SVG for the PDF (`charts._svg`). `answers`: each
    organisation's answers, for the frequent recommendations triggered by an answer."""
    frequent: list[Frequent] = []
    n = 0
    if scores is not None and library is not None:
        frequent, n = frequent_recommendations(
            scores, questionnaire, library, language, answers=answers
        )
    ids = scores.organisation_ids if scores is not None else ()
    return SectorReport(
        language=language,
        title=title or questionnaire.title.get(language),
        questionnaire=questionnaire,
        estimates=estimates,
        overall=estimates.sector,
        dimension_labels={d.id: d.label.get(language) for d in questionnaire.dimensions},
        level_labels={lv.code: lv.label.get(language) for lv in questionnaire.methodology.levels},
        region_labels=region_names(),
        change=change,
        frequent=frequent,
        frequent_n=n,
        synthetic=bool(ids) and all(i.startswith("SYN-") for i in ids),
        complementary=has_complementary(estimates),
        wave_year=estimates.wave_year or (change.after_year if change else None),
        report_date=report_date or date.today(),
        size_labels={size: size_label(size, language) for size in SIZE_TEXT_KEYS},
        axis_labels={
            role: name[:1].upper() + name[1:]
            for role, name in axis_names(questionnaire.methodology.typology, language).items()
        },
        headline=headline_sentence(estimates, questionnaire, language),
        change_sentence=change_sentence(change, questionnaire, language),
        key_messages=key_messages(estimates, questionnaire, change, language),
        annex=method_annex(estimates, questionnaire, change, language),
        charts=(
            sector_charts(estimates, questionnaire, change, language, for_print=for_print)
            if charts
            else ()
        ),
        difference_sentences=_difference_sentences(estimates, language),
        no_library=library is not None and not library.sheets,
    )


def _difference_sentences(estimates: EstimatesFile, language: Language) -> dict[str, str]:
    """The sentence of each compared breakdown: which groups differ significantly."""
    names = {
        "organisation_type": ("by_organisation_type", lambda code: code),
        "size_class": ("by_size", lambda code: size_label(code, language)),
    }
    return {
        variable: difference_sentence(
            estimates.contrasts, variable, texts(language)[key], name, language
        )
        for variable, (key, name) in names.items()
    }
