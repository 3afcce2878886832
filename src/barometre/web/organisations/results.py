"""What a referent reads about their organisation, from the wave's computed results.

Comparisons with the sector and with peers (same family and size class) use only aggregates of
at least BAROMETRE_MIN_CELL organisations; below that the comparison is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import get_language

from barometre.reports.charts import radar, typology
from barometre.web.campaigns.models import FrameEntry, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import comparable_previous_wave
from barometre.web.labels import SERIES, TYPOLOGY, label
from barometre.web.organisations.models import Organisation


@dataclass
class DimensionLine:
    id: str
    label: str
    score: float | None
    level: str
    next_step: str
    coverage: float | None
    dispersion: float | None
    perception_gap: float | None
    sector: float | None
    peers: float | None
    previous: float | None


@dataclass
class OrganisationResults:
    organisation: Organisation
    wave: Wave
    data: dict
    level: str
    family: str | None
    dimensions: list[DimensionLine] = field(default_factory=list)
    peers_n: int = 0
    sector_n: int = 0
    previous_global: float | None = None
    radar_svg: str = ""
    typology_svg: str = ""


def _mean(values: list[float | None], minimum: int) -> tuple[float | None, int]:
    present = [v for v in values if v is not None]
    return (float(np.mean(present)) if len(present) >= minimum else None), len(present)


def organisation_results(*, wave: Wave, organisation: Organisation) -> OrganisationResults | None:
    """Results of one organisation, or None when it has no computed scores in this wave."""
    if wave.scores_json is None:
        return None
    everyone = {o["organisation_id"]: o for o in wave.scores_json["organisations"]}
    own = everyone.get(organisation.external_id)
    if own is None:
        return None
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    levels = {lv.code: lv.label.get(language) for lv in questionnaire.methodology.levels}
    level_codes = [lv.code for lv in questionnaire.methodology.levels]
    minimum = settings.BAROMETRE_MIN_CELL
    entry = FrameEntry.objects.get(wave=wave, organisation=organisation)
    peer_ids = set(
        FrameEntry.objects.filter(
            wave=wave,
            family=entry.family,
            size_class=entry.size_class,
        ).values_list("organisation__external_id", flat=True)
    )
    # Comparisons leave the organisation itself out, so that no mean of fewer than
    # BAROMETRE_MIN_CELL other organisations can be backed out from what the page shows.
    others = {oid: o for oid, o in everyone.items() if oid != organisation.external_id}
    peers = [o for oid, o in others.items() if oid in peer_ids]
    previous = _previous(wave, organisation)
    result = OrganisationResults(
        organisation=organisation,
        wave=wave,
        data=own,
        level=levels.get(own["level"], "—"),
        family=label(TYPOLOGY, own["family"]),
        peers_n=len(peers),
        sector_n=len(others),
        previous_global=previous.get("global") if previous else None,
    )
    for dimension in questionnaire.dimensions:
        mine = own["dimensions"][dimension.id]
        code = mine["level"]
        next_code = (
            level_codes[level_codes.index(code) + 1]
            if code and level_codes.index(code) + 1 < len(level_codes)
            else code
        )
        descriptor = dimension.descriptors.get(next_code) if next_code else None
        sector, _n = _mean(
            [o["dimensions"][dimension.id]["score"] for o in others.values()], minimum
        )
        peer, _n = _mean([o["dimensions"][dimension.id]["score"] for o in peers], minimum)
        result.dimensions.append(
            DimensionLine(
                id=dimension.id,
                label=dimension.label.get(language),
                score=mine["score"],
                level=levels.get(code, "—"),
                next_step=descriptor.get(language) if descriptor else "",
                coverage=mine["coverage"],
                dispersion=mine["dispersion"],
                perception_gap=mine["perception_gap"],
                sector=sector,
                peers=peer,
                previous=(
                    previous["dimensions"].get(dimension.id, {}).get("score") if previous else None
                ),
            )
        )
    result.radar_svg = radar(
        [d.label for d in result.dimensions],
        {
            organisation.name: [d.score for d in result.dimensions],
            str(SERIES["sector"]): [d.sector for d in result.dimensions],
            **(
                {str(SERIES["peers"]): [d.peers for d in result.dimensions]}
                if result.peers_n >= minimum
                else {}
            ),
        },
    )
    tech, _n = _mean([o["axes"]["tech"] for o in others.values()], minimum)
    transfo, _n = _mean([o["axes"]["transfo"] for o in others.values()], minimum)
    axes = own["axes"]
    method = questionnaire.methodology.typology
    result.typology_svg = typology(
        (axes["tech"], axes["transfo"]) if None not in (axes["tech"], axes["transfo"]) else None,
        organisation.name,
        reference=(tech, transfo) if None not in (tech, transfo) else None,
        reference_label=str(SERIES["sector_mean"]),
        tech_threshold=method.tech_threshold,
        transfo_threshold=method.transfo_threshold,
    )
    return result


def _previous(wave: Wave, organisation: Organisation) -> dict | None:
    earlier = comparable_previous_wave(wave)
    if earlier is None:
        return None
    return next(
        (
            o
            for o in earlier.scores_json["organisations"]
            if o["organisation_id"] == organisation.external_id
        ),
        None,
    )
