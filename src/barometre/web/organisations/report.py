"""The organisation's results and reports, and the sector report, from a computed wave."""

from __future__ import annotations

from django.utils.translation import get_language

from barometre.i18n import language_of
from barometre.recommend import load_library
from barometre.reports.organisation import OrganisationReport, build_organisation_report
from barometre.reports.render import organisation_html, pdf_bytes, sector_html
from barometre.reports.sector import build_sector_report
from barometre.web.campaigns.models import FrameEntry, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import comparable_previous_wave
from barometre.web.organisations.models import Organisation


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
    questionnaire, _tables = wave_questionnaire(wave)
    previous = comparable_previous_wave(wave)
    peer_keys = {
        external_id: (organisation_type, size)
        for external_id, organisation_type, size in FrameEntry.objects.filter(
            wave=wave
        ).values_list("organisation__external_id", "organisation_type", "size_class")
    }
    # The wave's sector estimate says which peer comparisons would, with its published
    # figures, give a figure about too few organisations (disclosure control).
    estimates = wave.estimates
    hidden_peer_cells = (
        [(cell.organisation_type, cell.size_class) for cell in estimates.hidden_peer_cells]
        if estimates is not None
        else []
    )
    return build_organisation_report(
        scores,
        organisation.external_id,
        questionnaire,
        load_library(),
        name=organisation.name,
        wave=wave.title,
        previous=previous.scores if previous else None,
        language=language_of(get_language()),
        for_print=for_print,
        peer_keys=peer_keys,
        hidden_peer_cells=hidden_peer_cells,
    )


def organisation_pdf(*, wave: Wave, organisation: Organisation) -> bytes:
    report = organisation_report(wave=wave, organisation=organisation, for_print=True)
    return pdf_bytes(organisation_html(report))


def sector_pdf(*, wave: Wave) -> bytes:
    questionnaire, _tables = wave_questionnaire(wave)
    if wave.estimates is None:
        raise ValueError("the wave has no sector estimate")
    report = build_sector_report(
        wave.estimates,
        questionnaire,
        title=wave.title,
        change=wave.change,
        scores=wave.scores,
        library=load_library(),
        language=language_of(get_language()),
    )
    return pdf_bytes(sector_html(report))
