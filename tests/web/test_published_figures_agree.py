"""Every figure of the public page equals the wave's PDF and its estimates file, correctly
rounded (issue 11: the page truncated, 58 of 111 figures of the 2025 demo wave were off by 0.1).

The expected text of each figure is computed here from the estimates file with the decimal
module, independently of `barometre.formatting`: half away from zero on the value the float
stands for (its shortest repr), to one decimal, in French typography.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pypdfium2
import pytest
from django.urls import reverse

from barometre.contracts.change import ChangeFile, Difference
from barometre.contracts.estimates import EstimatesFile, Figure
from barometre.questionnaire.loader import load_questionnaire
from barometre.simulate.sector import simulate_sector

pytestmark = pytest.mark.django_db
HLM = load_questionnaire("hlm-2026")
NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=80, response_rate=0.6, seed=11)


def by_hand(value: float, scale: int = 1) -> str:
    """One decimal, half away from zero, decimal comma, the minus sign; thousands unused here."""
    exact = Decimal(repr(value)) * scale
    text = str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")
    text = "0,0" if text == "-0,0" else text
    return text.replace("-", MINUS)


def expected(figure: Figure | Difference, scale: int = 1) -> tuple[str, str, str]:
    assert figure.value is not None and figure.ci_low is not None and figure.ci_high is not None
    return (
        by_hand(figure.value, scale),
        by_hand(figure.ci_low, scale),
        by_hand(figure.ci_high, scale),
    )


def published(estimates: EstimatesFile, change: ChangeFile | None) -> set[tuple[str, str, str]]:
    """Every figure the estimates file (and the change since the previous wave) publishes,
    as the page must show it."""
    found: set[tuple[str, str, str]] = set()
    for indicator in change.indicators.values() if change else ():
        if not indicator.suppressed:
            for difference in (indicator.population, indicator.panel):
                if not difference.suppressed and difference.value is not None:
                    found.add(expected(difference))
    domains = [estimates.sector, *estimates.domains.organisation_type]
    domains += [*estimates.domains.size_class, *estimates.domains.region]
    for domain in domains:
        for figure in (domain.global_index, *domain.dimensions.values()):
            if not figure.suppressed and figure.value is not None:
                found.add(expected(figure))
        for figure in (*domain.shares.level.values(), *domain.shares.typology.values()):
            if not figure.suppressed and figure.value is not None:
                found.add(expected(figure, 100))
    return found


NUMBER = rf"[{MINUS}-]?\d+,\d"
ON_PAGE = re.compile(
    rf'<strong>({NUMBER})(?:{NNBSP}%)?</strong> <small class="interval">'
    rf"\[({NUMBER}){NNBSP};{NBSP}({NUMBER})\]</small>"
)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return re.sub(r"\s+", " ", text.replace(NNBSP, " ").replace(NBSP, " "))


def test_every_public_figure_equals_the_pdf_and_the_estimates_file(client, sector, computed_wave):
    wave = computed_wave(sector, then=("publish",))
    client.logout()
    html = client.get(reverse("public:sector", kwargs={"year": 2026})).content.decode()
    on_page = ON_PAGE.findall(html)
    assert len(on_page) >= 20, "the page shows the sector, its dimensions, levels and families"
    estimates = wave.estimates
    assert estimates is not None
    wanted = published(estimates, wave.change)
    sector_figures = estimates.sector
    assert expected(sector_figures.global_index) in on_page
    assert all(expected(f) in on_page for f in sector_figures.dimensions.values() if f.value)
    unknown = {t for t in on_page if t not in wanted}
    assert not unknown, f"figures on the page that the estimates file does not give: {unknown}"

    pdf = client.get(reverse("public:sector_pdf", kwargs={"year": 2026}))
    text = pdf_text(pdf.content)
    for value, low, high in on_page:
        shown = rf"{re.escape(value)}(?: %)? \[{re.escape(low)} ; {re.escape(high)}\]"
        assert re.search(shown, text), f"{value} [{low} ; {high}] is on the page, not in the PDF"


def test_the_english_page_shows_the_same_figures_in_english_typography(
    client, sector, computed_wave
):
    wave = computed_wave(sector, then=("publish",))
    client.logout()
    html = client.get(
        reverse("public:sector", kwargs={"year": 2026}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert wave.estimates is not None
    value, low, high = (x.replace(",", ".") for x in expected(wave.estimates.sector.global_index))
    assert f'<strong>{value}</strong> <small class="interval">[{low},{NBSP}{high}]</small>' in html
