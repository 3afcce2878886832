"""The organisation report's content, assembled from the engine's files (no server needed).

Comparisons with the sector and with peers (same organisation type and size class) leave the
organisation out and need at least the methodology's `disclosure_minimum` of other
organisations; below that they are not shown, and the method annex says so. A peer
comparison the wave's sector estimate hides (`EstimatesFile.hidden_peer_cells`: with the
published figures it would give a figure about too few organisations) is not shown either,
and the report says why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from barometre import formatting
from barometre.contracts.scores import MethodologyRef, OrganisationScores, ScoresFile
from barometre.i18n import Language
from barometre.organisations import size_class_of
from barometre.questionnaire.languages import shown
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library, Plan, recommend
from barometre.recommend.engine import Reason, Recommendation
from barometre.reports.charts import radar, typology
from barometre.reports.sector import size_label
from barometre.reports.texts import axis_names, texts
from barometre.scoring.organisation_answers import OrganisationAnswers

#: (organisation type, size class) of an organisation: who its peers are.
PeerKey = tuple[str | None, str | None]


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
    language: Language
    wave: str
    questionnaire: Questionnaire
    data: OrganisationScores
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
    disclosure_minimum: int
    scores_methodology: MethodologyRef | None = None
    #: The sector estimate hides this organisation's peer comparison (disclosure control).
    peers_hidden: bool = False
    strengths: list[DimensionRow] = field(default_factory=list)
    weaknesses: list[DimensionRow] = field(default_factory=list)
    report_date: date | None = None
    #: Why each sheet of the plan is recommended, by sheet id: one sentence in the language.
    why: Mapping[str, str] = field(default_factory=dict)
    #: The respondents by role, the roles named in the language: (label, count).
    roles: tuple[tuple[str, int], ...] = ()
    #: How each role's axis is named ("tech axis", or the questionnaire's label); empty
    #: without a typology (no family, no axes, no two-axes chart).
    axis_labels: Mapping[str, str] = field(default_factory=dict)
    #: No library of sheets fits the questionnaire (`recommend.library_for`): the report
    #: says why it has no recommendations.
    no_library: bool = False

    def label(self, text: str) -> str:
        """`text` as a label before a value, with the language's colon."""
        return formatting.label(text, language=self.language)

    @property
    def zero_dimensions(self) -> list[str]:
        """The dimensions where an unanswered question counts 0 (`missing_as_zero`), named
        in the language, for the method annex."""
        method = self.questionnaire.methodology
        return [
            d.label.get(self.language)
            for d in self.questionnaire.dimensions
            if d.counts_missing_as_zero(method)
        ]

    @property
    def separator(self) -> str:
        """Between the parts of a list in a sentence: " ; " in French, "; " in English."""
        return list_separator(self.language)

    def share(self, value: float | None, places: int = 0) -> str:
        """A proportion (0-1) as a percentage in the language ("45 %" / "45%")."""
        return formatting.share(value, places, language=self.language)

    @property
    def date_text(self) -> str:
        """The report's date in words: "2 décembre 2026" / "2 December 2026"."""
        if self.report_date is None:
            return ""
        return long_date(self.report_date, self.language)


def _mean(values: Sequence[float | None], minimum: int) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if len(present) >= minimum else None


def _peer_key(org: OrganisationScores) -> PeerKey:
    dwellings = org.context.dwellings
    size = size_class_of(pd.Series([dwellings], dtype=float)).iloc[0] if dwellings else None
    return org.context.organisation_type, size


def build_organisation_report(
    scores: ScoresFile,
    organisation_id: str,
    questionnaire: Questionnaire,
    library: Library,
    *,
    name: str | None = None,
    wave: str = "",
    previous: ScoresFile | None = None,
    language: Language = "fr",
    for_print: bool = False,
    peer_keys: Mapping[str, PeerKey] | None = None,
    hidden_peer_cells: Collection[PeerKey] = (),
    report_date: date | None = None,
    answers: OrganisationAnswers | None = None,
) -> OrganisationReport:
    """`peer_keys` gives each organisation's (organisation type, size class) from the frame;
    without it they come from what the organisations declared in the questionnaire.
    `hidden_peer_cells`: the (organisation type, size class) cells whose peer comparison the
    wave's sector estimate hides (none without an estimate: an operator's report from the
    scores alone shows every comparison, as before). `report_date` is printed on the cover
    (default: today). `answers`: the organisation's answers, for the sheets triggered by an
    answer (`scoring.organisation_answers`; without them only scores trigger sheets)."""
    own = scores.organisation(organisation_id)
    if own is None:
        raise KeyError(organisation_id)
    others = [o for o in scores.organisations if o.organisation_id != organisation_id]
    minimum = questionnaire.methodology.disclosure_minimum

    def key_of(org: OrganisationScores) -> PeerKey:
        if peer_keys is not None:
            return peer_keys.get(org.organisation_id, (None, None))
        return _peer_key(org)

    organisation_type, size = key_of(own)
    peers = [
        o
        for o in others
        if organisation_type is not None and key_of(o) == (organisation_type, size)
    ]
    peers_hidden = (organisation_type, size) in set(hidden_peer_cells)
    shown_peers = [] if peers_hidden else peers
    before = previous.organisation(organisation_id) if previous is not None else None
    default = questionnaire.default_language
    levels = {
        lv.code: shown(lv.label, language, default) for lv in questionnaire.methodology.levels
    }
    role_labels = {role.code: role.label.get(language) for role in questionnaire.roles}
    plan = recommend(own, questionnaire, library, language=language, answers=answers)
    descriptors = {step.dimension: step.descriptor for step in plan.next_steps}
    rows = []
    for dimension in questionnaire.dimensions:
        mine = own.dimensions[dimension.id]
        rows.append(
            DimensionRow(
                id=dimension.id,
                label=shown(dimension.label, language, default),
                score=mine.score,
                level=levels.get(mine.level or "", "—"),
                coverage=mine.coverage,
                dispersion=mine.dispersion,
                perception_gap=mine.perception_gap,
                sector=_mean([o.dimension_score(dimension.id) for o in others], minimum),
                peers=_mean([o.dimension_score(dimension.id) for o in shown_peers], minimum),
                previous=before.dimension_score(dimension.id) if before else None,
                next_step=descriptors.get(dimension.id, ""),
            )
        )
    t = texts(language)
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: (r.score or 0.0, r.id))
    series = {
        name or organisation_id: [r.score for r in rows],
        t["sector_respondents"]: [r.sector for r in rows],
    }
    if len(shown_peers) >= minimum:
        series[t["peers"]] = [r.peers for r in rows]
    tech = _mean([o.axes.tech for o in others], minimum)
    transfo = _mean([o.axes.transfo for o in others], minimum)
    method = questionnaire.methodology.typology
    axes = own.axes
    axis_labels = axis_names(method, language)
    return OrganisationReport(
        organisation_id=organisation_id,
        name=name or organisation_id,
        language=language,
        wave=wave,
        questionnaire=questionnaire,
        data=own,
        level=levels.get(own.level or "", "—"),
        family=own.family,
        dimensions=rows,
        plan=plan,
        sector_n=len(others),
        peers_n=len(peers),
        peer_group=f"{organisation_type or '?'} · {size_label(size, language) if size else '?'}",
        previous_global=before.global_index if before else None,
        radar_svg=radar([r.label for r in rows], series, for_print=for_print),
        typology_svg=""
        if method is None  # no typology: no two-axes chart
        else typology(
            (axes.tech, axes.transfo)
            if axes.tech is not None and axes.transfo is not None
            else None,
            name or organisation_id,
            reference=(tech, transfo) if tech is not None and transfo is not None else None,
            reference_label=t["sector_mean"],
            tech_threshold=method.tech_threshold,
            transfo_threshold=method.transfo_threshold,
            **(
                {"axis_labels": (axis_labels["tech"], axis_labels["transfo"])}
                if method.named
                else {}
            ),
            for_print=for_print,
            language=language,
        ),
        axis_labels=axis_labels,
        no_library=not library.sheets,
        disclosure_minimum=minimum,
        scores_methodology=scores.methodology,
        peers_hidden=peers_hidden,
        strengths=list(reversed(scored[-2:])),
        weaknesses=scored[:2],
        report_date=report_date or date.today(),
        why={
            r.sheet.id: why_sentence(r, plan, own.family, language)
            for r in (*plan.triggered, *plan.roadmap)  # the roadmap's, with needed_by
        },
        roles=tuple(
            (role_labels.get(code, code), count) for code, count in own.respondents_by_role.items()
        ),
    )


def list_separator(language: Language) -> str:
    return f"{formatting.NNBSP}; " if language == "fr" else "; "


def long_date(day: date, language: Language) -> str:
    """ "2 décembre 2026" (the first of the month "1er") / "2 December 2026"."""
    month = texts(language)[f"month_{day.month}"]
    first = "1er" if language == "fr" and day.day == 1 else str(day.day)
    return f"{first}{formatting.NBSP}{month} {day.year}"


def why_line(reason: Reason, language: Language) -> str:
    """One rule that triggered a sheet: for an item, what the organisation answered with its
    score after it; for a dimension, its score; for an answer rule, the answer (and how many
    of the respondents gave it, when several count)."""
    t = texts(language)
    if reason.target in ("option", "row"):
        return f"{_introducing(reason.label, language)} {_answer_told(reason, language)}"
    score = formatting.number(reason.score, language=language)
    bound = formatting.rounded(reason.below, 1)
    below = formatting.number(
        bound, 0 if bound == bound.to_integral_value() else 1, language=language
    )
    if reason.answer is None:
        told = t["why_score"].format(score=score, below=below)
    else:
        key = "why_consolidated" if reason.consolidated else "why_answered"
        told = t[key].format(answer=reason.answer.get(language), score=score, below=below)
    return f"{_introducing(reason.label, language)} {told}"


def _answer_told(reason: Reason, language: Language) -> str:
    """The answer that triggered an answer rule: each option chosen (with how many of the
    respondents who count chose it, when several count), or the status row's step."""
    t = texts(language)
    if reason.target == "option":
        several = reason.respondents > 1
        key = ("why_ticked" if reason.ticked else "why_chosen") + ("_by" if several else "")
        total = formatting.count(reason.respondents, language=language)
        return ", ".join(
            t[key].format(
                answer=answer.get(language),
                count=formatting.count(count, language=language),
                total=total,
            )
            for answer, count in reason.chosen
        )
    answer = reason.answer.get(language) if reason.answer is not None else ""
    if reason.at_most:
        key = "why_at_most_consolidated" if reason.consolidated else "why_at_most"
        step = reason.step.get(language) if reason.step is not None else ""
        return t[key].format(answer=answer, step=step)
    key = "why_step_consolidated" if reason.consolidated else "why_chosen"
    return t[key].format(answer=answer)


def _introducing(text: str, language: Language) -> str:
    """A label before its value, with the language's colon; a question, which ends with its
    "?", with a dash instead (never "? :")."""
    if text.endswith("?"):
        return f"{text} —"
    return formatting.label(text, language=language)


def why_sentence(
    recommendation: Recommendation, plan: Plan, family: str | None, language: Language
) -> str:
    """Why a sheet is recommended: its rules that hold, the family it suits first and the
    sheets of the roadmap it is needed by, as one sentence."""
    t = texts(language)
    parts = [why_line(reason, language) for reason in recommendation.reasons]
    if recommendation.family_fit and family is not None:
        parts.append(t["why_family"].format(family=t[family]))
    titles = {r.sheet.id: r.sheet.title.get(language) for r in plan.roadmap}
    needed_by = [titles[i] for i in recommendation.needed_by if i in titles]
    if needed_by:
        parts.append(t["why_needed_by"].format(sheets=", ".join(needed_by)))
    return list_separator(language).join(parts) + "."
