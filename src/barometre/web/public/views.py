"""The public sector barometer: published waves only, aggregates of at least five."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from barometre.web.campaigns.models import Wave
from barometre.web.organisations.report import sector_pdf as report_pdf
from barometre.web.public.selectors import published_waves, sector_page


def index(request):
    return render(request, "public/index.html", {"waves": published_waves()})


def sector(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    if wave.status != Wave.Status.PUBLISHED or not wave.estimates_json:
        raise Http404
    return render(request, "public/sector.html", {"page": sector_page(wave=wave)})


def sector_pdf(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    if wave.status != Wave.Status.PUBLISHED or not wave.estimates_json:
        raise Http404
    response = HttpResponse(report_pdf(wave=wave), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="barometre-secteur-{year}.pdf"'
    return response
