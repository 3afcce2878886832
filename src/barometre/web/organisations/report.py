"""The organisation and sector reports from a computed wave, as PDF downloads."""

from __future__ import annotations

from django.utils.translation import get_language

from barometre.recommend import load_library
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html, pdf_bytes, sector_html
from barometre.reports.sector import build_sector_report
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import comparable_previous_wave
from barometre.web.organisations.models import Organisation


def organisation_report_html(
    *, wave: Wave, organisation: Organisation, for_print: bool = False
) -> str:
    questionnaire, _tables = wave_questionnaire(wave)
    previous = comparable_previous_wave(wave)
    report = build_organisation_report(
        wave.scores_json,
        organisation.external_id,
        questionnaire,
        load_library(),
        name=organisation.name,
        wave=wave.title,
        previous=previous.scores_json if previous else None,
        language=get_language() or "fr",
        for_print=for_print,
    )
    return organisation_html(report)


def organisation_pdf(*, wave: Wave, organisation: Organisation) -> bytes:
    html = organisation_report_html(wave=wave, organisation=organisation, for_print=True)
    return pdf_bytes(html)


def sector_pdf(*, wave: Wave) -> bytes:
    questionnaire, _tables = wave_questionnaire(wave)
    change = wave.change_json or None
    report = build_sector_report(
        wave.estimates_json,
        questionnaire,
        title=wave.title,
        change=change,
        scores=wave.scores_json,
        library=load_library(),
        language=get_language() or "fr",
    )
    return pdf_bytes(sector_html(report))
