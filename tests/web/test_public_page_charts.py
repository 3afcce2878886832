"""The public sector page shows its charts (the same SVG as the sector PDF's), each with its
text alternative and the table of the same figures under it (issue 11)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector

pytestmark = pytest.mark.django_db

HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=60, response_rate=0.5, seed=3)


@pytest.fixture
def two_waves(client, sector, computed_wave):
    """2025 published, then 2026 computed and published: the 2026 page has a change."""
    computed_wave(sector, year=2025, then=("publish",))
    return computed_wave(sector, year=2026, then=("publish",))


def page(client, year: int = 2026) -> str:
    response = client.get(reverse("public:sector", kwargs={"year": year}))
    assert response.status_code == 200
    return response.content.decode()


def test_every_chart_is_inline_accessible_and_followed_by_its_table(client, two_waves):
    response = client.get(reverse("public:sector", kwargs={"year": 2026}))
    html = response.content.decode()
    svgs = re.findall(r"<svg [^>]*>", html)
    # dimensions, levels, families, change, type, size, regions
    assert len(svgs) == 7, svgs
    for tag in svgs:
        assert 'role="img"' in tag and 'aria-label="' in tag
    assert html.count("<title>") >= 7 + 1 and html.count("<desc>") == 7
    # every chart's style element carries the response's CSP nonce
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce is not None
    styles = re.findall(r"<style[^>]*>", html)
    assert styles and all(f'nonce="{nonce.group(1)}"' in style for style in styles)
    # each figure is followed by a table of the same figures
    for figure in re.finditer(r"</figure>", html):
        assert html.find("<table", figure.end()) != -1


def test_the_french_page_states_thresholds_headers_and_significance(client, two_waves):
    html = page(client)
    for caption in ("Part des organismes par niveau", "Part des organismes par famille"):
        start = html.index(f"<caption>{caption}")
        table = html[start : html.index("</table>", start)]
        assert "<thead>" in table
        assert "Part des organismes [IC à 95\u202f%]" in table
        assert '<th scope="col">n</th>' in table

    # the thresholds, as the questionnaire sets them
    levels = HLM.methodology.levels
    # the second level starts where the first ends: "from 0 to under 25"
    assert f"{levels[0].label.fr} de 0 à moins de {int(levels[1].min)}" in html
    assert "Indice global\u202f:" in html
    assert "Indice global :" not in html  # an ordinary space before the colon is wrong

    # the change section says what is significant
    assert "Évolution depuis 2025, par dimension" in html
    change_list = html.split('class="change-sentences"')[1].split("</ul>")[0]
    sentences = re.findall(r"<li>(.*?)</li>", change_list)
    # the global index and every dimension whose change could be computed
    assert len(sentences) >= 2
    for sentence in sentences:
        assert "variation du secteur" in sentence
        assert (
            ("marge d'erreur" in sentence)
            or ("significative" in sentence)
            or ("pas publiée" in sentence)
        )


def test_the_english_page_has_the_same_charts(client_en, client, two_waves):
    html = client_en.get(reverse("public:sector", kwargs={"year": 2026})).content.decode()
    assert len(re.findall(r'<svg [^>]*role="img"', html)) == 7
    assert "Global index:" in html and "Share of organisations [95% CI]" in html


def test_the_significance_sentences_warn_of_multiple_comparisons(client_en, client, two_waves):
    """Every breakdown that says which groups differ also says that each pair is tested on its
    own, without correction, so a difference can be chance."""
    french = page(client)
    english = client_en.get(reverse("public:sector", kwargs={"year": 2026})).content.decode()
    for html, caveat in (
        (french, "sans correction pour comparaisons multiples"),
        (english, "without correction for multiple comparisons"),
    ):
        paragraphs = re.findall(r'<p class="differences">(.*?)</p>', html, flags=re.S)
        assert paragraphs  # the demo's waves publish the type and size breakdowns
        assert all(caveat in paragraph for paragraph in paragraphs)
    # the level as the sector report's annex words it: a test at 5 %, not "at 95 %"
    assert "au seuil de 5\u202f%, sans" in french and "au seuil de 95" not in french
    assert "tested on its own at the 5% level, without" in english
    assert "at the 95% level" not in english


def test_the_change_sentences_carry_one_multiple_comparisons_caveat(client_en, client, two_waves):
    """The change section tests every indicator: one caveat follows the list of its sentences,
    and the chart's own description (its text alternative) ends with it too."""
    for html, caveat in (
        (
            page(client),
            "Chaque variation est testée isolément, sans correction pour comparaisons "
            "multiples\u202f: parmi de nombreux indicateurs, une variation peut ressortir "
            "significative par hasard.",
        ),
        (
            client_en.get(reverse("public:sector", kwargs={"year": 2026})).content.decode(),
            "Each change is tested on its own, without correction for multiple comparisons: "
            "among many indicators, a change can come out significant by chance.",
        ),
    ):
        start = html.index('class="change-sentences"')
        section = html[html.rindex("<section", 0, start) : html.index("</section>", start)]
        items, after = html[start:].split("</ul>", 1)
        assert len(re.findall(r"<li>", items)) >= 2  # several indicators, one caveat
        assert caveat not in items
        assert after.lstrip().startswith(f'<p class="change-caveat"><small>{caveat}</small></p>')
        descriptions = re.findall(r"<desc>(.*?)</desc>", section, flags=re.S)
        assert [d.endswith(caveat) for d in descriptions] == [True]
        # under the list, and in the chart's description and label (its text alternative)
        assert html.count(caveat) == 3


def test_the_change_table_scrolls_within_its_box_on_a_phone(client, two_waves):
    """The change table has five columns: inside a scrolling region (keyboard-reachable and
    named), it never makes the whole page scroll sideways on a narrow screen."""
    page_html = page(client)
    start = page_html.index("<caption>Évolution depuis la vague précédente (points)")
    opening = page_html.rfind("<div", 0, start)
    assert page_html[opening : page_html.index(">", opening)].startswith(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Évolution'
    )
    assert page_html.index("</table>", start) < page_html.index("</div>", start)
