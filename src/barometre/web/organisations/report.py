"""The organisation's results and reports, and the sector report, from a computed wave; and
the provisional results a referent sees before the wave is computed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.contracts.scores import ScoresFile
from barometre.i18n import language_of
from barometre.questionnaire.fields import FieldTables
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library, library_for, load_library
from barometre.reports.batch import WaveReports
from barometre.reports.organisation import OrganisationReport, build_organisation_report
from barometre.reports.position_chart import Position, position_among, position_chart
from barometre.reports.render import pdf_bytes, sector_html
from barometre.reports.sector import build_sector_report
from barometre.scoring import score_responses
from barometre.scoring.organisation_answers import OrganisationAnswers, answers_of_responses
from barometre.web.campaigns.models import FrameEntry, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import comparable_previous_wave, wave_responses
from barometre.web.organisations.models import Organisation
from barometre.web.organisations.selectors import submitted_responses

#: The best-practice sheets shipped with the package, by folder: read once per process (about
#: a second of YAML on every dashboard otherwise); public content, the same for every reader.
_read_library = functools.cache(load_library)


def _library(questionnaire: Questionnaire) -> Library:
    """The sheets of the questionnaire's reports, the rule of the command line
    (`recommend.library_for`): the example library shipped for the questionnaire, else the
    built-in library when it fits it, else none (the report says so)."""
    return library_for(questionnaire, read=_read_library).library


def organisation_report(
    *, wave: Wave, organisation: Organisation, for_print: bool = False
) -> OrganisationReport | None:
    """The organisation's results in a computed wave (None if it has none): what the referent's
    page shows, and the report. Peers are organisations of the same type and size class in
    the frame, not shown where the wave's estimate hides their comparison; the previous wave
    is the last comparable one."""
    scores = wave.scores
    if scores is None or scores.organisation(organisation.external_id) is None:
        return None
    questionnaire, tables = wave_questionnaire(wave)
    previous = comparable_previous_wave(wave)
    return build_organisation_report(
        scores,
        organisation.external_id,
        questionnaire,
        _library(questionnaire),
        name=organisation.name,
        wave=wave.title,
        previous=previous.scores if previous else None,
        language=language_of(get_language()),
        for_print=for_print,
        peer_keys=_peer_keys(wave),
        hidden_peer_cells=_hidden_peer_cells(wave),
        answers=_answers(
            questionnaire,
            tables,
            lambda: wave_responses(wave=wave, organisation=organisation),
            f"wave {wave.year}",
        ).get(organisation.external_id),
    )


def _answers(
    questionnaire: Questionnaire,
    tables: FieldTables,
    responses: Callable[[], pd.DataFrame],
    source: str,
) -> dict[str, OrganisationAnswers]:
    """The organisations' answers for the sheets triggered by an answer, read only when the
    library has such a sheet. A computed wave's are read from the database as the computation
    read them (every answer given, sent or not; an answer erased since is no longer there)."""
    if not _library(questionnaire).by_answers:
        return {}
    table = responses()
    if table.empty:
        return {}
    return answers_of_responses(questionnaire, table, source=source, tables=tables)


def _hidden_peer_cells(wave: Wave) -> tuple[tuple[str | None, str | None], ...]:
    """The peer comparisons the wave's sector estimate says would, with its published
    figures, give a figure about too few organisations (disclosure control)."""
    estimates = wave.estimates
    if estimates is None:
        return ()
    return tuple((cell.organisation_type, cell.size_class) for cell in estimates.hidden_peer_cells)


def wave_reports(*, wave: Wave) -> WaveReports:
    """What every organisation report of the computed wave shares, read once for
    `reports.batch` (the inputs of `organisation_report`, in the reader's language)."""
    scores = wave.scores
    if scores is None:
        raise ValueError("the wave has not been computed")
    questionnaire, _tables = wave_questionnaire(wave)
    previous = comparable_previous_wave(wave)
    return WaveReports(
        scores=scores,
        questionnaire=questionnaire,
        library=_library(questionnaire),
        report_date=date.today(),
        wave=wave.title,
        previous=previous.scores if previous else None,
        language=language_of(get_language()),
        peer_keys=_peer_keys(wave),
        hidden_peer_cells=_hidden_peer_cells(wave),
    )


def wave_answers(*, wave: Wave) -> dict[str, OrganisationAnswers]:
    """Every organisation's answers, for the sheets triggered by an answer: read once for
    the wave, as `organisation_report` reads one organisation's."""
    questionnaire, tables = wave_questionnaire(wave)
    return _answers(questionnaire, tables, lambda: wave_responses(wave=wave), f"wave {wave.year}")


def sector_pdf(*, wave: Wave) -> bytes:
    questionnaire, tables = wave_questionnaire(wave)
    if wave.estimates is None:
        raise ValueError("the wave has no sector estimate")
    report = build_sector_report(
        wave.estimates,
        questionnaire,
        title=wave.title,
        change=wave.change,
        scores=wave.scores,
        library=_library(questionnaire),
        language=language_of(get_language()),
        answers=_answers(
            questionnaire, tables, lambda: wave_responses(wave=wave), f"wave {wave.year}"
        ),
    )
    return pdf_bytes(sector_html(report))


@dataclass(frozen=True)
class DashboardResults:
    """What the referent's page shows of the organisation's results, and why a figure is not
    shown (each reason empty when the figure is shown)."""

    report: OrganisationReport | None
    #: Computed from the answers sent so far, with the engine of the wave's computation.
    provisional: bool = False
    #: Why the global index is missing (dimensions without enough answers).
    global_reason: str = ""
    #: Why the comparisons with other organisations are not shown.
    comparisons_reason: str = ""
    position: Position | None = None
    position_svg: str = ""
    position_text: str = ""
    position_reason: str = ""


def dashboard_results(*, wave: Wave, organisation: Organisation) -> DashboardResults:
    """The computed results once the wave has them; before, the provisional results from the
    answers sent so far (None when nobody of the organisation has sent theirs)."""
    if wave.scores is not None:
        report = organisation_report(wave=wave, organisation=organisation)
        return _explained(report, wave.scores)
    return provisional_results(wave=wave, organisation=organisation)


def provisional_results(*, wave: Wave, organisation: Organisation) -> DashboardResults:
    """The organisation's results from the answers its respondents sent so far, scored by the
    engine of the wave's computation (`score_responses`), without comparisons.

    Only the organisation's own answers are read. Comparisons wait for the wave's results:
    while answers arrive, every answer another organisation sends moves a comparison, and two
    figures read one after the other would give that organisation's score by difference; and
    scoring the whole wave on every page view takes seconds for a sector of 500 organisations
    (a quarter of a second for one)."""
    questionnaire, tables = wave_questionnaire(wave)
    responses = submitted_responses(wave=wave, organisation=organisation)
    if responses.empty:
        return DashboardResults(report=None, provisional=True)
    scores = score_responses(
        questionnaire, responses, source=f"wave {wave.year}", tables=tables
    ).to_file()
    report = build_organisation_report(
        scores,
        organisation.external_id,
        questionnaire,
        _library(questionnaire),
        name=organisation.name,
        wave=wave.title,
        language=language_of(get_language()),
        peer_keys=_peer_keys(wave),
        answers=_answers(questionnaire, tables, lambda: responses, f"wave {wave.year}").get(
            organisation.external_id
        ),
    )
    return _explained(report, scores, provisional=True)


def _peer_keys(wave: Wave) -> dict[str, tuple[str | None, str | None]]:
    return {
        external_id: (organisation_type, size)
        for external_id, organisation_type, size in FrameEntry.objects.filter(
            wave=wave
        ).values_list("organisation__external_id", "organisation_type", "size_class")
    }


def _explained(
    report: OrganisationReport | None,
    scores: ScoresFile,
    *,
    provisional: bool = False,
) -> DashboardResults:
    """The report with the reasons of its missing figures, and the organisation's position."""
    if report is None:
        return DashboardResults(report=None, provisional=provisional)
    minimum = report.disclosure_minimum
    language = report.language
    global_reason = ""
    if report.data.global_index is None:
        threshold = report.questionnaire.methodology.coverage_threshold
        short = [row.label for row in report.dimensions if row.score is None]
        global_reason = _(
            "Not calculated: the global index needs a score in every dimension, and these "
            "have too few answers for one (less than %(threshold)s of their weight "
            "answered): %(dimensions)s."
        ) % {
            "dimensions": ", ".join(short),
            "threshold": formatting.share(threshold, 0, language=language),
        }
    comparisons_reason = ""
    if provisional:
        comparisons_reason = _(
            "Comparisons with the other organisations come with the wave's results, once it "
            "is computed: while answers still arrive, two figures read one after the other "
            "could give another organisation's score by difference."
        )
    elif report.sector_n < minimum:
        comparisons_reason = ngettext(
            "Comparisons with the other organisations are not shown: %(n)s other "
            "organisation has results, and a comparison needs at least %(minimum)s.",
            "Comparisons with the other organisations are not shown: %(n)s other "
            "organisations have results, and a comparison needs at least %(minimum)s.",
            report.sector_n,
        ) % {"n": formatting.count(report.sector_n, language=language), "minimum": minimum}
    position, svg, text, reason = _position(report, scores, comparisons_reason)
    return DashboardResults(
        report=report,
        provisional=provisional,
        global_reason=global_reason,
        comparisons_reason=comparisons_reason,
        position=position,
        position_svg=svg,
        position_text=text,
        position_reason=reason,
    )


def _position(
    report: OrganisationReport, scores: ScoresFile, comparisons_reason: str
) -> tuple[Position | None, str, str, str]:
    """The organisation's percentile among the other responding organisations with a global
    index, its chart and text; or why it is not shown."""
    minimum = report.disclosure_minimum
    own = report.data.global_index
    if own is None:
        return None, "", "", _("No position: the organisation has no global index.")
    if comparisons_reason:
        return None, "", "", comparisons_reason
    others = [
        o.global_index
        for o in scores.organisations
        if o.organisation_id != report.organisation_id and o.global_index is not None
    ]
    if len(others) < minimum:
        return (
            None,
            "",
            "",
            ngettext(
                "No position: %(n)s other organisation has a global index, and a position "
                "needs at least %(minimum)s.",
                "No position: %(n)s other organisations have a global index, and a position "
                "needs at least %(minimum)s.",
                len(others),
            )
            % {"n": formatting.count(len(others), language=report.language), "minimum": minimum},
        )
    position = position_among(own, others)
    language = report.language
    svg = position_chart(
        position,
        marker_label=report.name,
        lowest_label=_("lowest index"),
        highest_label=_("highest index"),
    )
    text = _(
        "Global index %(index)s: higher than that of %(share)s of the %(n)s other responding "
        "organisations with a global index (ties count half)."
    ) % {
        "index": formatting.number(own, 1, language=language),
        "share": formatting.percent(position.percentile, 0, language=language),
        "n": formatting.count(position.others, language=language),
    }
    return position, svg, text, ""
