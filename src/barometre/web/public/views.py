"""The public sector barometer: published waves only, aggregates of at least five."""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from barometre.web.campaigns.models import Wave
from barometre.web.organisations.report import sector_pdf as report_pdf
from barometre.web.public.method import described_questionnaire, method_page
from barometre.web.public.selectors import published_waves, sector_page


def index(request):
    return render(request, "public/index.html", {"waves": published_waves()})


def sector(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    if wave.status != Wave.Status.PUBLISHED or wave.estimates is None:
        raise Http404
    return render(request, "public/sector.html", {"page": sector_page(wave=wave)})


def sector_pdf(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    if wave.status != Wave.Status.PUBLISHED or wave.estimates is None:
        raise Http404
    # The same wave and language give the same PDF: make it once, not at every download.
    digest = hashlib.sha256(wave.estimates.dumps().encode()).hexdigest()
    key = f"sector-pdf:{wave.pk}:{get_language()}:{digest[:16]}"
    pdf = cache.get_or_set(key, lambda: report_pdf(wave=wave), timeout=None)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="barometre-secteur-{year}.pdf"'
    return response


def method(request):
    return render(
        request, "public/method.html", {"page": method_page(), "published": published_waves()}
    )


def method_questionnaire(request):
    """The questionnaire the method page describes, as the YAML file it was run with."""
    questionnaire, text, _wave = described_questionnaire()
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    name = f"{questionnaire.id}-{questionnaire.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
