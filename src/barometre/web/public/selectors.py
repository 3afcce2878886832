"""The published sector barometer, read from a wave's sector estimate.

Only published waves are shown, and only figures the estimate did not suppress (it never gives
a number resting on fewer than five organisations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre.geo import regions_table
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.labels import ORGANISATION_TYPES, SIZE_CLASSES, TYPOLOGY, WEIGHTING, label


@dataclass
class Row:
    label: str
    figure: dict
    n: int | None = None


@dataclass
class Breakdown:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class SectorPage:
    wave: Wave
    estimates: dict
    overall: dict
    dimensions: list[Row]
    levels: list[Row]
    families: list[Row]
    breakdowns: list[Breakdown]
    weighting: str
    change: dict | None


def published_waves():
    return Wave.objects.filter(status=Wave.Status.PUBLISHED).order_by("-year")


def sector_page(*, wave: Wave) -> SectorPage:
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    estimates = wave.estimates_json
    overall = estimates["domains"]["sector"][0]
    dimension_labels = {d.id: d.label.get(language) for d in questionnaire.dimensions}
    level_labels = {lv.code: lv.label.get(language) for lv in questionnaire.methodology.levels}
    regions = regions_table()["name"].to_dict()
    breakdowns = []
    for variable, title, name in (
        ("family", _("By type of organisation"), lambda code: label(ORGANISATION_TYPES, code)),
        ("size_class", _("By size"), lambda code: label(SIZE_CLASSES, code)),
        ("region", _("By region"), lambda code: regions.get(code, code)),
    ):
        rows = [
            Row(name(d["level"]), d["global"], d["respondents"])
            for d in estimates["domains"][variable]
        ]
        breakdowns.append(Breakdown(title, rows))
    return SectorPage(
        wave=wave,
        estimates=estimates,
        overall=overall,
        dimensions=[Row(dimension_labels.get(k, k), v) for k, v in overall["dimensions"].items()],
        levels=[Row(level_labels.get(k, k), v) for k, v in overall["shares"]["level"].items()],
        families=[Row(label(TYPOLOGY, k), v) for k, v in overall["shares"]["typology"].items()],
        breakdowns=breakdowns,
        weighting=label(WEIGHTING, estimates["weighting"]["method"]),
        change=_change(wave),
    )


def _change(wave: Wave) -> dict | None:
    """Change of the global index since the previous computed wave (stored at computation):
    the population change and the panel change of the organisations that answered both."""
    if not wave.change_json:
        return None
    change = wave.change_json["indicators"].get("global")
    if not change or change.get("suppressed"):
        return None
    return {
        "year": wave.change_json["before_year"],
        "population": change["population"],
        "panel": change["panel"],
    }
