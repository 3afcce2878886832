"""The README's tour, in French and English, at desktop and phone sizes: the public sector
page of the demo's published wave, the method page, the referent's dashboard and the first two
pages of the sector PDF. Each page is also checked (text in its language; axe-core by conftest)."""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2
import pytest
from playwright.sync_api import expect

from barometre.web.demo import REFERENT_PASSWORD, build_demo, demo_sectors

pytestmark = pytest.mark.django_db(transaction=True)

#: The demo publishes its first wave; the second stays open.
PUBLISHED = 2025


@dataclass(frozen=True)
class Texts:
    """What a reader sees in one language (written here by hand, not taken from the code)."""

    sector_heading: str
    method_heading: str
    next_level: str
    download_sector_report: str
    report_cover: str


TEXTS = {
    "fr": Texts(
        sector_heading="Maturité numérique du secteur",
        method_heading="Méthode du baromètre",
        next_level="Pour atteindre le niveau suivant",
        download_sector_report="Télécharger le rapport du secteur (PDF)",
        report_cover="Baromètre de la maturité numérique du logement social",
    ),
    "en": Texts(
        sector_heading="Digital maturity of the sector",
        method_heading="Method of the barometer",
        next_level="To reach the next level",
        download_sector_report="Download the sector report (PDF)",
        report_cover="Digital maturity barometer of social housing",
    ),
}


@pytest.fixture
def demo(db):
    first, second = demo_sectors(organisations=200, seed=2026)
    return build_demo(first=first, second=second, year=PUBLISHED + 1)


def choose_language(page, language: str) -> None:
    """With the header's language selector, as a reader would (the choice is kept in a cookie)."""
    page.locator("#language-select").select_option(language)
    page.locator("form.language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_in(page, url: str, email: str) -> None:
    """Signs in whatever the page's language (the fields by name, not by their label)."""
    page.goto(f"{url}/connexion/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(REFERENT_PASSWORD)
    page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_tour(language, live_server, desktop, phone, demo, screenshot, pdf_screenshot):
    url = live_server.url
    texts = TEXTS[language]
    _family, email, name = demo.referents[0]
    for size, context in (("desktop", desktop), ("phone", phone)):
        page = context.new_page()
        page.goto(f"{url}/barometre/{PUBLISHED}/")
        choose_language(page, language)
        expect(page.get_by_role("heading", name=texts.sector_heading)).to_be_visible()
        # the button under the heading (the download section at the end names it again)
        expect(page.get_by_role("link", name=texts.download_sector_report).first).to_be_visible()
        screenshot(page, f"public-sector-{language}-{size}")

        page.goto(f"{url}/methode/")
        expect(page.locator("h1")).to_have_text(texts.method_heading)
        screenshot(page, f"method-{language}-{size}")

        sign_in(page, url, email)
        page.get_by_role("link", name=f"{name} — Baromètre {PUBLISHED}").click()
        expect(page.locator("h1")).to_have_text(name)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_text(texts.next_level).first).to_be_visible()
        screenshot(page, f"dashboard-{language}-{size}")

    # The sector report, downloaded in the language chosen (the context's cookie).
    response = page.request.get(f"{url}/barometre/{PUBLISHED}/rapport.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) >= 2
    assert texts.report_cover in document[0].get_textpage().get_text_range()
    pdf_screenshot(pdf, 0, f"report-sector-p1-{language}")
    pdf_screenshot(pdf, 1, f"report-sector-p2-{language}")
