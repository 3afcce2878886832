"""The public downloads of a published wave: its open-data package (a ZIP, docs/opendata.md)
and its questionnaire as YAML, XLSForm and PDF; and the same questionnaire files beside the
method page's YAML (`/methode/questionnaire.*`, the questionnaire the method page describes).

A wave that is not published is a 404 for everyone here: these pages are public, the same for
everyone, and hold only what the public page shows. Each file is made once per wave and
content (the cache key names the digest of what it is made from), like the sector PDF, and
kept a bounded time (`CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from barometre.i18n import language_of
from barometre.interop.opendata import datapackage_zip_bytes, questionnaire_xlsform
from barometre.publication import synthetic_ids
from barometre.questionnaire.models import Questionnaire
from barometre.reports.questionnaire_pdf import questionnaire_pdf_bytes
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import questionnaire_digest, wave_questionnaire
from barometre.web.public.method import described_questionnaire

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _published(year: int) -> Wave:
    wave = get_object_or_404(Wave, year=year)
    if wave.status != Wave.Status.PUBLISHED or wave.estimates is None:
        raise Http404
    return wave


def _attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


#: How long a made file stays in the cache, in seconds. The key names the digest of what the
#: file is made from, so an entry is never stale; the bound only lets the entries of a wave's
#: former content (estimates recomputed, questionnaire changed) go instead of piling up in a
#: shared cache (Redis, database) that never culls. A day: a download made again costs about a
#: second.
CACHE_SECONDS = 24 * 60 * 60


def _cached(key: str, make: Callable[[], bytes]) -> bytes:
    content = cache.get_or_set(key, make, timeout=CACHE_SECONDS)
    assert isinstance(content, bytes)
    return content


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def _synthetic(wave: Wave) -> bool:
    """The package says its data are synthetic when the pages do (`BAROMETRE_SYNTHETIC`, the
    banner of every page) or when the wave's organisations are simulated ones (the sector
    report's rule, `barometre.publication.synthetic_ids`): no wave or frame file has a flag."""
    ids = wave.scores.organisation_ids if wave.scores is not None else ()
    return bool(settings.BAROMETRE_SYNTHETIC) or synthetic_ids(ids)


def opendata_zip(request, year: int):
    """The wave's Frictionless Data Package: the published aggregates, suppressed as on the
    public page, with the questionnaire and the methodology."""
    wave = _published(year)
    estimates = wave.estimates
    assert estimates is not None  # _published checked it
    questionnaire, _tables = wave_questionnaire(wave)
    closed = wave.closed_at.isoformat() if wave.closed_at else ""
    change = wave.change.dumps() if wave.change is not None else ""
    digest = _digest(estimates.dumps(), change, wave.questionnaire_yaml, wave.title, closed)

    def make() -> bytes:
        return datapackage_zip_bytes(
            estimates,
            questionnaire,
            questionnaire_yaml=wave.questionnaire_yaml,
            change=wave.change,
            title=wave.title,
            created=wave.closed_at,
            synthetic=_synthetic(wave),
            source=f"wave {wave.year}",
        )

    content = _cached(f"opendata-zip:{wave.pk}:{digest}", make)
    return _attachment(content, "application/zip", f"barometre-{year}-donnees-ouvertes.zip")


def _name(questionnaire: Questionnaire, extension: str) -> str:
    return f"{questionnaire.id}-{questionnaire.version}.{extension}"


def _xlsform(questionnaire: Questionnaire, text: str) -> HttpResponse:
    digest = questionnaire_digest(text)
    content = cache.get(f"questionnaire-xlsform:{digest}")
    if content is None:
        content = questionnaire_xlsform(questionnaire)
        if content is None:  # the XLSForm writer is not installed: no such file
            raise Http404
        cache.set(f"questionnaire-xlsform:{digest}", content, timeout=CACHE_SECONDS)
    return _attachment(content, XLSX, _name(questionnaire, "xlsx"))


def _pdf(questionnaire: Questionnaire, text: str) -> HttpResponse:
    language = language_of(get_language())
    digest = questionnaire_digest(text)
    content = _cached(
        f"questionnaire-pdf:{language}:{digest}",
        lambda: questionnaire_pdf_bytes(questionnaire, language),
    )
    suffix = "" if language == "fr" else f"-{language}"
    name = f"{questionnaire.id}-{questionnaire.version}{suffix}.pdf"
    return _attachment(content, "application/pdf", name)


def wave_questionnaire_yaml(request, year: int):
    """The questionnaire the wave was run with, as its YAML file."""
    wave = _published(year)
    questionnaire, _tables = wave_questionnaire(wave)
    return _attachment(
        wave.questionnaire_yaml, "application/yaml; charset=utf-8", _name(questionnaire, "yaml")
    )


def wave_questionnaire_xlsform(request, year: int):
    """The wave's questionnaire as an XLSForm workbook (ODK, KoboToolbox)."""
    wave = _published(year)
    questionnaire, _tables = wave_questionnaire(wave)
    return _xlsform(questionnaire, wave.questionnaire_yaml)


def wave_questionnaire_pdf(request, year: int):
    """The wave's questionnaire printed for a reader, in the reader's language."""
    wave = _published(year)
    questionnaire, _tables = wave_questionnaire(wave)
    return _pdf(questionnaire, wave.questionnaire_yaml)


def method_questionnaire_xlsform(request):
    """The questionnaire the method page describes, as an XLSForm workbook."""
    questionnaire, text, _wave = described_questionnaire()
    return _xlsform(questionnaire, text)


def method_questionnaire_pdf(request):
    """The questionnaire the method page describes, as a PDF in the reader's language."""
    questionnaire, text, _wave = described_questionnaire()
    return _pdf(questionnaire, text)
