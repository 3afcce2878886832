"""The organisation report's content, assembled from the engine's files (no server needed).

Comparisons with the sector and with peers (same declared family and size class) leave the
organisation out and need at least `MIN_OTHERS` other organisations; below that they are not
shown, and the method annex says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from barometre.organisations import size_class_of
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library, Plan, recommend
from barometre.reports.charts import radar, typology
from barometre.reports.texts import texts

MIN_OTHERS = 5


@dataclass(frozen=True)
class DimensionRow:
    id: str
    label: str
    score: float | None
    level: str
    coverage: float | None
    dispersion: float | None
    perception_gap: float | None
    sector: float | None
    peers: float | None
    previous: float | None
    next_step: str = ""  # what the next level looks like (or the top level, once reached)


@dataclass(frozen=True)
class OrganisationReport:
    organisation_id: str
    name: str
    language: str
    wave: str
    questionnaire: Questionnaire
    data: dict[str, Any]
    level: str
    family: str | None
    dimensions: list[DimensionRow]
    plan: Plan
    sector_n: int
    peers_n: int
    peer_group: str
    previous_global: float | None
    radar_svg: str
    typology_svg: str
    scores_methodology: dict[str, Any] | None = None
    strengths: list[DimensionRow] = field(default_factory=list)
    weaknesses: list[DimensionRow] = field(default_factory=list)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if len(present) >= MIN_OTHERS else None


def _peer_key(org: dict[str, Any]) -> tuple[str | None, str | None]:
    context = org.get("context") or {}
    dwellings = context.get("dwellings")
    size = size_class_of(pd.Series([dwellings], dtype=float)).iloc[0] if dwellings else None
    return context.get("family"), size


def build_organisation_report(
    scores: dict[str, Any],
    organisation_id: str,
    questionnaire: Questionnaire,
    library: Library,
    *,
    name: str | None = None,
    wave: str = "",
    previous: dict[str, Any] | None = None,
    language: str = "fr",
    for_print: bool = False,
    peer_keys: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> OrganisationReport:
    """`peer_keys` gives each organisation's (family, size class) from the frame; without it
    they come from what the organisations declared in the questionnaire."""
    everyone = {o["organisation_id"]: o for o in scores["organisations"]}
    if organisation_id not in everyone:
        raise KeyError(organisation_id)
    own = everyone[organisation_id]
    others = [o for oid, o in everyone.items() if oid != organisation_id]

    def key_of(org: dict[str, Any]) -> tuple[str | None, str | None]:
        if peer_keys is not None:
            return peer_keys.get(org["organisation_id"], (None, None))
        return _peer_key(org)

    family, size = key_of(own)
    peers = [o for o in others if family is not None and key_of(o) == (family, size)]
    before = None
    if previous is not None:
        before = next(
            (o for o in previous["organisations"] if o["organisation_id"] == organisation_id), None
        )
    levels = {lv.code: lv.label.get(language) for lv in questionnaire.methodology.levels}
    plan = recommend(own, questionnaire, library, language=language)
    descriptors = {step.dimension: step.descriptor for step in plan.next_steps}
    rows = []
    for dimension in questionnaire.dimensions:
        mine = own["dimensions"][dimension.id]
        rows.append(
            DimensionRow(
                id=dimension.id,
                label=dimension.label.get(language),
                score=mine["score"],
                level=levels.get(mine["level"], "—"),
                coverage=mine["coverage"],
                dispersion=mine.get("dispersion"),
                perception_gap=mine.get("perception_gap"),
                sector=_mean([o["dimensions"][dimension.id]["score"] for o in others]),
                peers=_mean([o["dimensions"][dimension.id]["score"] for o in peers]),
                previous=before["dimensions"].get(dimension.id, {}).get("score")
                if before
                else None,
                next_step=descriptors.get(dimension.id, ""),
            )
        )
    t = texts(language)
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: (r.score, r.id))
    series = {
        name or organisation_id: [r.score for r in rows],
        t["sector_respondents"]: [r.sector for r in rows],
    }
    if len(peers) >= MIN_OTHERS:
        series[t["peers"]] = [r.peers for r in rows]
    tech = _mean([o["axes"]["tech"] for o in others])
    transfo = _mean([o["axes"]["transfo"] for o in others])
    method = questionnaire.methodology.typology
    axes = own["axes"]
    return OrganisationReport(
        organisation_id=organisation_id,
        name=name or organisation_id,
        language=language,
        wave=wave,
        questionnaire=questionnaire,
        data=own,
        level=levels.get(own["level"], "—"),
        family=own["family"],
        dimensions=rows,
        plan=plan,
        sector_n=len(others),
        peers_n=len(peers),
        peer_group=f"{family or '?'} · {size or '?'}",
        previous_global=before.get("global") if before else None,
        radar_svg=radar([r.label for r in rows], series, text_as_paths=for_print),
        typology_svg=typology(
            (axes["tech"], axes["transfo"])
            if None not in (axes["tech"], axes["transfo"])
            else None,
            name or organisation_id,
            reference=(tech, transfo) if None not in (tech, transfo) else None,
            reference_label=t["sector_mean"],
            tech_threshold=method.tech_threshold,
            transfo_threshold=method.transfo_threshold,
            text_as_paths=for_print,
        ),
        scores_methodology=scores.get("methodology"),
        strengths=list(reversed(scored[-2:])),
        weaknesses=scored[:2],
    )
