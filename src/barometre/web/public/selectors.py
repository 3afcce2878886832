"""The published sector barometer, read from a wave's sector estimate.

Only published waves are shown, and only figures the estimate did not suppress (it never gives
a number resting on fewer organisations than the methodology's disclosure minimum, nor one that
would let a reader recover such a number by subtraction: complementary suppression).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre.contracts.change import Difference
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.vocabulary import DomainVariable
from barometre.geo import regions_table
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.labels import ORGANISATION_TYPES, SIZE_CLASSES, TYPOLOGY, WEIGHTING, label


@dataclass(frozen=True)
class Row:
    label: str
    figure: Figure
    n: int | None = None


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedChange:
    """Change of the global index since an earlier comparable wave."""

    year: int | None
    population: Difference
    panel: Difference


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
    #: Some figure is hidden to protect another (complementary suppression): the page says why.
    complementary: bool = False


def published_waves():
    return Wave.objects.filter(status=Wave.Status.PUBLISHED).order_by("-year")


def sector_page(*, wave: Wave) -> SectorPage:
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
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
    breakdowns = [
        Breakdown(
            title,
            [
                Row(name(d.level), d.global_index, d.organisations)
                for d in estimates.domains.of(variable)
            ],
        )
        for variable, title, name in names
    ]
    return SectorPage(
        wave=wave,
        estimates=estimates,
        overall=overall,
        dimensions=[Row(dimension_labels.get(k, k), v) for k, v in overall.dimensions.items()],
        levels=[Row(level_labels.get(k, k), v) for k, v in overall.shares.level.items()],
        families=[Row(label(TYPOLOGY, k), v) for k, v in overall.shares.typology.items()],
        breakdowns=breakdowns,
        weighting=label(WEIGHTING, estimates.weighting.method),
        change=_change(wave),
        minimum=estimates.method.suppression.min_organisations,
        complementary=any(
            row.figure.suppression == "complementary"
            for breakdown in breakdowns
            for row in breakdown.rows
        ),
    )


def _change(wave: Wave) -> PublishedChange | None:
    """Change of the global index since the previous comparable wave (stored at computation):
    the population change and the panel change of the organisations that answered both."""
    if wave.change is None:
        return None
    change = wave.change.indicator("global")
    if change is None:
        return None
    return PublishedChange(
        year=wave.change.before_year, population=change.population, panel=change.panel
    )
