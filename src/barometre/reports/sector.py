"""The sector report's content, from the files of `barometre estimate` (and, when given, of
`barometre compare` and `barometre score` for the most frequent recommendations)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from barometre.contracts.change import ChangeFile, IndicatorChange
from barometre.contracts.estimates import DomainEstimate, EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.contracts.vocabulary import DomainVariable
from barometre.geo import region_names
from barometre.i18n import Language
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library, recommend

#: The breakdowns the report shows by domain.
BREAKDOWNS: tuple[DomainVariable, ...] = ("organisation_type", "size_class", "region")


@dataclass(frozen=True)
class Frequent:
    title: str
    sheet_id: str
    share: float  # of the organisations with a roadmap
    count: int


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

    @property
    def panel_hidden(self) -> bool:
        """A panel change is hidden to protect the few organisations that left or joined:
        the report says why under the change table."""
        return self.change is not None and any(
            isinstance(c, IndicatorChange) and c.panel.suppression == "complementary"
            for c in self.change.indicators.values()
        )


def has_complementary(estimates: EstimatesFile) -> bool:
    """Whether a figure the report shows by domain (global index, axes) is hidden to protect
    another one."""
    return any(
        figure.suppression == "complementary"
        for variable in BREAKDOWNS
        for domain in estimates.domains.of(variable)
        for figure in (domain.global_index, domain.axes.tech, domain.axes.transfo)
    )


def frequent_recommendations(
    scores: ScoresFile,
    questionnaire: Questionnaire,
    library: Library,
    language: Language = "fr",
    top: int = 10,
) -> tuple[list[Frequent], int]:
    """How often each sheet is in an organisation's roadmap (aggregates of at least the
    methodology's disclosure minimum)."""
    minimum = questionnaire.methodology.disclosure_minimum
    counts: Counter[str] = Counter()
    organisations = [o for o in scores.organisations if o.scored]
    for org in organisations:
        counts.update(r.sheet.id for r in recommend(org, questionnaire, library).roadmap)
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
) -> SectorReport:
    frequent: list[Frequent] = []
    n = 0
    if scores is not None and library is not None:
        frequent, n = frequent_recommendations(scores, questionnaire, library, language)
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
    )
