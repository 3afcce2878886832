"""The public downloads of a published wave (issue 12 §4): its open data package (ZIP) and its
questionnaire as YAML, XLSForm and PDF, linked from the sector page; the method page's
questionnaire as XLSForm and PDF beside its YAML. An unpublished wave's files are a 404.

The package hides exactly what the page hides: each figure of `scores.csv` is empty when the
page's own `estimate` tag shows it as suppressed, and a region resting on fewer organisations
than the disclosure minimum is hidden on the page and empty in the package.

Synthetic data: a simulated sector of 40 organisations (seed 5), whose small regions are
suppressed.
"""

from __future__ import annotations

import csv
import io
import zipfile

import frictionless
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import translation

from barometre.geo import region_names
from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.public.templatetags.figures import estimate

# each test computes a wave through the back office, and the first renders two PDFs
pytestmark = [pytest.mark.django_db, pytest.mark.slow]
HLM = load_questionnaire("hlm-2026")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PACKAGE = "barometre-maturite-numerique-hlm-2025/"


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=40, response_rate=0.8, seed=5)


@pytest.fixture
def published(computed_wave, sector):
    return computed_wave(sector, year=2025, then=("publish",))


def read_package(content: bytes, folder) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(folder)
        return {
            name.removeprefix(PACKAGE): list(
                csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_a_published_wave_offers_its_package_and_questionnaire(published, tmp_path):
    reader = Client(HTTP_ACCEPT_LANGUAGE="fr")
    files = {
        reverse("public:opendata", kwargs={"year": 2025}): (
            "application/zip",
            "barometre-2025-donnees-ouvertes.zip",
        ),
        reverse("public:questionnaire_yaml", kwargs={"year": 2025}): (
            "application/yaml; charset=utf-8",
            "hlm-2026-2026.1.yaml",
        ),
        reverse("public:questionnaire_xlsform", kwargs={"year": 2025}): (
            XLSX,
            "hlm-2026-2026.1.xlsx",
        ),
        reverse("public:questionnaire_pdf", kwargs={"year": 2025}): (
            "application/pdf",
            "hlm-2026-2026.1.pdf",
        ),
        reverse("method_questionnaire_xlsform"): (XLSX, "hlm-2026-2026.1.xlsx"),
        reverse("method_questionnaire_pdf"): ("application/pdf", "hlm-2026-2026.1.pdf"),
    }
    contents = {}
    for url, (content_type, name) in files.items():
        response = reader.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type, url
        assert response["Content-Disposition"] == f'attachment; filename="{name}"', url
        assert "no-store" not in response.get("Cache-Control", "")  # public, may be cached
        contents[url] = response.content
    package = contents[reverse("public:opendata", kwargs={"year": 2025})]
    read_package(package, tmp_path)
    assert frictionless.validate(tmp_path / PACKAGE / "datapackage.json").valid
    yaml = contents[reverse("public:questionnaire_yaml", kwargs={"year": 2025})]
    assert yaml.decode("utf-8") == published.questionnaire_yaml
    assert contents[reverse("public:questionnaire_pdf", kwargs={"year": 2025})][:5] == b"%PDF-"
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("method_questionnaire_pdf"))
    assert english["Content-Disposition"] == 'attachment; filename="hlm-2026-2026.1-en.pdf"'
    # the sector page and the method page link them
    page = reader.get(reverse("public:sector", kwargs={"year": 2025})).content.decode()
    section = BeautifulSoup(page, "html.parser").find("section", id="telecharger")
    assert section.h2.get_text() == "Télécharger"
    links = {a["href"] for a in section.find_all("a")}
    assert set(list(files)[:4]) <= links
    method = reader.get(reverse("method")).content.decode()
    for name in (
        "method_questionnaire",
        "method_questionnaire_xlsform",
        "method_questionnaire_pdf",
    ):
        assert f'href="{reverse(name)}"' in method


def test_a_small_region_is_hidden_on_the_page_and_empty_in_the_package(published, tmp_path):
    reader = Client(HTTP_ACCEPT_LANGUAGE="fr")
    tables = read_package(
        reader.get(reverse("public:opendata", kwargs={"year": 2025})).content, tmp_path
    )
    estimates = published.estimates
    minimum = estimates.method.suppression.min_organisations
    assert minimum == HLM.methodology.disclosure_minimum == 5
    small = [d for d in estimates.domains.region if d.organisations is None]
    assert small, "the synthetic sector has regions below the minimum"
    region = small[0]
    rows = [
        r for r in tables["scores.csv"] if (r["domaine"], r["groupe"]) == ("region", region.level)
    ]
    assert rows and all(r["valeur"] == r["ic_bas"] == r["erreur_type"] == "" for r in rows)
    assert all(r["masque"] == "true" for r in rows)
    # the same region on the public page: "< 5" responding organisations, "n < 5" for its index
    page = reader.get(reverse("public:sector", kwargs={"year": 2025})).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    name = region_names()[region.level]
    row = next(th.parent for th in soup.find_all("th", scope="row") if th.get_text() == name)
    cells = row.find_all("td")
    assert cells[0].get_text() == "< 5"
    assert cells[1].find("span", class_="suppressed").get_text() == "n < 5"
    # every figure: empty in the package exactly when the page's own tag hides it
    domains = {
        (variable, d.level): d
        for variable in ("sector", "organisation_type", "size_class", "region")
        for d in estimates.domains.of(variable)
    }
    with translation.override("fr"):
        for r in tables["scores.csv"]:
            domain = domains[(r["domaine"], r["groupe"])]
            figure = {
                "global": domain.global_index,
                "tech": domain.axes.tech,
                "transfo": domain.axes.transfo,
            }.get(r["indicateur"]) or domain.dimensions[r["indicateur"]]
            hidden = 'class="suppressed"' in estimate(figure, minimum)
            assert (r["valeur"] == "") == hidden, r


def test_an_unpublished_wave_has_no_files(computed_wave, sector):
    computed_wave(sector, year=2025)  # computed, not published
    reader = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for name in ("opendata", "questionnaire_yaml", "questionnaire_xlsform", "questionnaire_pdf"):
        response = reader.get(reverse(f"public:{name}", kwargs={"year": 2025}))
        assert response.status_code == 404, name
        assert reader.get(reverse(f"public:{name}", kwargs={"year": 1999})).status_code == 404
    # the method page describes the built-in questionnaire until a wave is published
    response = reader.get(reverse("method_questionnaire_pdf"))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"


def test_the_package_is_cached_for_a_bounded_time_and_says_synthetic(
    published, settings, monkeypatch
):
    """The ZIP is kept in the cache a day, not forever (the key names the content's digest);
    its README says the data are synthetic when the wave's organisations are simulated ones,
    even on a site that does not show the synthetic banner."""
    from django.core.cache import cache

    from barometre.web.public import downloads

    settings.BAROMETRE_SYNTHETIC = False
    cache.clear()
    timeouts: dict[str, object] = {}
    real = cache.get_or_set

    def recording(key, default, timeout=None, version=None):
        timeouts[key] = timeout
        return real(key, default, timeout=timeout, version=version)

    monkeypatch.setattr(downloads.cache, "get_or_set", recording)
    response = Client().get(reverse("public:opendata", kwargs={"year": 2025}))
    assert response.status_code == 200
    (_key, timeout), *_ = [(k, t) for k, t in timeouts.items() if k.startswith("opendata-zip:")]
    assert timeout == 24 * 60 * 60
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        readme = archive.read(PACKAGE + "README.md").decode("utf-8")
    assert "Données synthétiques" in readme and "Synthetic data" in readme
