"""The published sector barometer, read from a wave's sector estimate.

Only published waves are shown, and only figures the estimate did not suppress (it never gives
a number resting on fewer than five organisations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import get_language

from barometre.geo import regions_table
from barometre.organisations import FAMILY_LABELS
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire


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
    for variable, title, label in (
        (
            "family",
            "Par famille d'organisme" if language == "fr" else "By type of organisation",
            lambda code: FAMILY_LABELS.get(code, code),
        ),
        (
            "size_class",
            "Par taille (logements)" if language == "fr" else "By size (dwellings)",
            lambda code: code,
        ),
        (
            "region",
            "Par région" if language == "fr" else "By region",
            lambda code: regions.get(code, code),
        ),
    ):
        breakdowns.append(
            Breakdown(
                title,
                [
                    Row(label(domain["level"]), domain["global"], domain["respondents"])
                    for domain in estimates["domains"][variable]
                ],
            )
        )
    return SectorPage(
        wave=wave,
        estimates=estimates,
        overall=overall,
        dimensions=[Row(dimension_labels.get(k, k), v) for k, v in overall["dimensions"].items()],
        levels=[Row(level_labels.get(k, k), v) for k, v in overall["shares"]["level"].items()],
        families=[Row(k, v) for k, v in overall["shares"]["typology"].items()],
        breakdowns=breakdowns,
        change=_change(wave, overall),
    )


def _change(wave: Wave, overall: dict) -> dict | None:
    """Change of the global index since the previous published wave (independent samples:
    the variance of the difference is the sum of the variances)."""
    earlier = published_waves().filter(year__lt=wave.year).first()
    if earlier is None or not earlier.estimates_json:
        return None
    before = earlier.estimates_json["domains"]["sector"][0]["global"]
    after = overall["global"]
    if before.get("value") is None or after.get("value") is None:
        return None
    difference = after["value"] - before["value"]
    se = math.sqrt(before["se"] ** 2 + after["se"] ** 2)
    return {
        "year": earlier.year,
        "before": before["value"],
        "difference": difference,
        "ci_low": difference - 1.96 * se,
        "ci_high": difference + 1.96 * se,
    }
