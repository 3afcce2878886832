"""The sector PDF a director hands to the board (issue 11): a cover, a summary page, a complete
method annex read from the files and the questionnaire's methodology, tables with a header for
every column, and a tagged PDF (PDF/UA-1) with its language and title, in one font.

The frame, weighting and change are set by hand on top of a simulated wave, so that every
expected line below is written out from those hand-set numbers."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser

import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest

from barometre.contracts.change import Difference, IndicatorChange
from barometre.questionnaire import load_questionnaire
from barometre.reports.render import sector_html, write_pdf
from barometre.reports.sector import build_sector_report
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="the PDF checks need poppler-utils (pdfinfo, pdftotext)",
)

HLM = load_questionnaire("hlm-2026")
#: A methodology whose minimums differ from the defaults: the annex must print these.
METHOD = HLM.methodology.model_copy(update={"disclosure_minimum": 7, "calibration_min_cell": 6})
QUESTIONNAIRE = HLM.model_copy(update={"methodology": METHOD})
NNBSP = "\u202f"


def _difference(value: float, low: float, high: float, n: int | None = None) -> Difference:
    return Difference(suppressed=False, value=value, se=1.0, ci_low=low, ci_high=high, n=n)


@pytest.fixture(scope="module")
def wave():
    """Two waves of 90 organisations; the frame is then said to be 570 organisations of which
    154 answered, weighted by post-stratification; the change of the global index is +3.2
    [1.1 ; 5.3] (44.0 to 47.2) and one dimension moved, +2.2 [0.4 ; 4.0]."""
    first = simulate_sector(QUESTIONNAIRE, organisations=90, response_rate=0.7, seed=21)
    second = simulate_sector(QUESTIONNAIRE, organisations=90, response_rate=0.7, seed=22)
    scores_1 = score_responses(QUESTIONNAIRE, first.responses, source="wave 1").to_file()
    scores_2 = score_responses(QUESTIONNAIRE, second.responses, source="wave 2").to_file()
    estimates = estimate_wave(scores_2, second.frame, QUESTIONNAIRE, wave_year=2026)
    frame = estimates.frame.model_copy(
        update={
            "organisations": 570,
            "responding_organisations": 154,
            "sampling_fraction": 154 / 570,
        }
    )
    weighting = estimates.weighting.model_copy(update={"method": "poststratification"})
    estimates = estimates.model_copy(update={"frame": frame, "weighting": weighting})
    change = compare_wave_scores(scores_1, first.frame, scores_2, second.frame, QUESTIONNAIRE)
    moved = QUESTIONNAIRE.dimensions[0].id
    indicators = {}
    for key, indicator in change.indicators.items():
        if not isinstance(indicator, IndicatorChange):
            indicators[key] = indicator
            continue
        if key == "global":
            population = _difference(3.2, 1.1, 5.3)
            indicator = indicator.model_copy(update={"previous": 44.0, "current": 47.2})
        elif key == moved:
            population = _difference(2.2, 0.4, 4.0)
        else:  # every other change within its margin of error
            population = _difference(0.5, -1.5, 2.5)
        panel = _difference(-1.1, -6.3, 4.1, n=86)
        indicators[key] = indicator.model_copy(update={"population": population, "panel": panel})
    change = change.model_copy(update={"indicators": indicators, "before_year": 2025})
    return estimates, change, scores_2


@pytest.fixture(scope="module")
def french(wave, tmp_path_factory):
    estimates, change, scores = wave
    report = build_sector_report(
        estimates,
        QUESTIONNAIRE,
        title="Baromètre test",
        change=change,
        scores=scores,  # simulated organisations (SYN-…): the cover says the data are synthetic
        report_date=date(2026, 12, 2),
    )
    html = sector_html(report)
    path = write_pdf(html, tmp_path_factory.mktemp("fr") / "sector.pdf")
    return report, html, path


@pytest.fixture(scope="module")
def english(wave, tmp_path_factory):
    estimates, _change, _scores = wave
    report = build_sector_report(
        estimates, QUESTIONNAIRE, title="Test barometer", language="en", charts=False
    )
    html = sector_html(report)
    path = write_pdf(html, tmp_path_factory.mktemp("en") / "sector.pdf")
    return report, html, path


def pdf_text(path) -> str:
    """The PDF's text on one line, every run of spaces (no-break ones too) as one space."""
    raw = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(raw.split())


def pdf_info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def pdf_language(path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    size = pdfium_raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_raw.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def test_the_pdf_is_tagged_with_its_language_and_title(french, english):
    for (_report, _html, path), language, title in (
        (french, "fr", "Baromètre de la maturité numérique du logement social — Baromètre test"),
        (english, "en", "Digital maturity barometer of social housing — Test barometer"),
    ):
        info = pdf_info(path)
        assert info["Tagged"] == "yes"
        assert info["Title"] == title
        assert pdf_language(path) == language


def test_every_font_of_the_pdf_is_the_body_font(french):
    """The footer (page margin boxes) is in the body's font too, and so is the charts' text."""
    _report, _html, path = french
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    fonts = [line.split()[0] for line in out.stdout.splitlines()[2:]]
    assert fonts and all("DejaVu-Sans" in font for font in fonts), fonts


def test_the_method_annex_is_complete_and_read_from_the_methodology(french):
    _report, _html, path = french
    text = pdf_text(path)
    annex = text[text.index("Annexe méthodologique") :]
    # 154 / 570 = 27.0 %; minimums 7 and 6 from the questionnaire's methodology section
    for line in (
        "Base de sondage : 570 organismes ; 154 ont répondu (27 %).",
        "Post-stratification par type d'organisme × taille : chaque case de la base de sondage "
        "compte au moins 6 organismes répondants.",
        # the default variance: JK1, one replicate per responding organisation of the simulated
        # wave, round(0.7 x 90) = 63 (the frame's 154 is set by hand afterwards)
        "Variance par répliques du jackknife à un retrait (JK1) : 63 répliques, chacune "
        "écartant un organisme répondant et calant de nouveau les poids, avec correction de "
        "population finie.",
        "Degrés de liberté du plan de chaque domaine, comme le package R survey (degf) : le "
        "rang des poids de répliques du domaine moins 1",
        "Intervalles de confiance à 95 % : ",
        "Aucun chiffre ne repose sur moins de 7 organismes répondants (« n < 7 »)",
        "Une dimension est calculée lorsqu'au moins 65 % du poids de ses questions applicables",
        "Niveaux d'un score sur 100 : Très faible à partir de 0, Faible à partir de 25, "
        "Intermédiaire à partir de 50, Avancée à partir de 75.",
        "non publiés en dessous de 7 organismes.",
        "Questionnaire hlm-2026 2026.1 ; méthodologie 1.0.",
    ):
        assert line in annex, line
    # the tester's broken lines: a bullet with nothing before "(154 / 570" or before "; IC"
    assert "• (" not in text and "• ;" not in text


def test_the_cover_and_the_summary_say_what_a_board_needs(french):
    report, _html, path = french
    text = pdf_text(path)
    cover = text[: text.index("Synthèse pour le conseil d'administration")]
    assert "Vague 2026" in cover and "Date du rapport : 2 décembre 2026" in cover
    assert "Données synthétiques : les organismes, réponses et chiffres de ce rapport" in cover
    assert "154 organismes répondants sur les 570 de la base de sondage (27 %)." in cover
    figure = report.overall.global_index
    value = f"{figure.value:.1f}".replace(".", ",")
    interval = f"[{figure.ci_low:.1f} ; {figure.ci_high:.1f}]".replace(".", ",")
    assert f"Indice global : {value} / 100 IC à 95 % : {interval} · n = {figure.n}" in text
    assert (
        "En hausse de 3,2 points depuis 2025 (de 44,0 à 47,2) : une hausse au-delà de la marge "
        "d'erreur (intervalle [1,1 ; 5,3])." in text
    )
    moved = QUESTIONNAIRE.dimensions[0].label.fr
    assert f"Dimensions dont l'évolution dépasse la marge d'erreur : {moved} (+2,2)." in text
    dimensions = {d.label.fr: report.overall.dimensions[d.id].value for d in HLM.dimensions}
    strongest = max(dimensions, key=lambda k: dimensions[k] or 0)
    high = f"{dimensions[strongest]:.1f}".replace(".", ",")
    assert f"Dimension la plus avancée : {strongest} ({high})" in text


def test_a_sector_report_never_speaks_of_one_organisation(french, english):
    assert "pour cet organisme" not in pdf_text(french[2])
    assert "for this organisation" not in pdf_text(english[2])
    assert "No change to show: there is no comparable previous wave for the sector." in pdf_text(
        english[2]
    )


def test_the_english_annex_has_its_own_typography(english):
    _report, html, _path = english
    assert "Frame: 570 organisations; 154 answered (27%)." in html
    assert "No figure rests on fewer than 7 responding organisations" in html


def test_the_french_html_puts_a_narrow_no_break_space_before_colons(french):
    _report, html, _path = french
    assert f"Base de sondage{NNBSP}: 570 organismes{NNBSP}; 154 ont répondu (27{NNBSP}%)." in html
    assert not re.search(r"\w : ", html)  # no bare " : " after a label


class _Tables(HTMLParser):
    """Each table's header cells and the cell count (colspans counted) of every body row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"headers": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append(0)
        elif tag in ("th", "td"):
            span = int(dict(attrs).get("colspan") or 1)
            self._cell = []
            if tag == "th":
                self.tables[-1]["headers"].append(self._cell)
            self.tables[-1]["rows"][-1] += span

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None


def test_every_table_column_has_a_header_and_n_its_own_column(french):
    _report, html, path = french
    parser = _Tables()
    parser.feed(html)
    assert len(parser.tables) >= 10
    for table in parser.tables:
        headers = ["".join(cell).strip() for cell in table["headers"]]
        assert headers and all(headers), headers
        header_row, *rows = table["rows"]
        assert all(cells == header_row for cells in rows), (headers, rows)
    text = pdf_text(path)
    assert "n (organismes)" in text and "n (panel)" in text
    # the panel n in its own cell, never glued to the interval ("[-6,3 ; 4,1] n 86")
    assert not re.search(r"\] n \d", text)
    assert "[−6,3 ; 4,1] 86" in text


def test_each_chart_has_a_caption_and_its_table_below(french, english):
    _report, html, _path = french
    # dimensions, levels, families, regions and change: five charts, each with a caption and
    # a text alternative, followed by the table of the same figures
    figures = re.findall(r"<figure class=\"chart-(\w+)\">(.*?)</figure>\s*(<\w+)", html, re.S)
    assert sorted(name for name, _body, _next in figures) == [
        "change",
        "dimensions",
        "families",
        "levels",
        "regions",
    ]
    for name, body, following in figures:
        assert "<title>" in body and "<figcaption>" in body, name
        assert following == "<table", name
    assert "<figure" not in english[1]  # charts=False: the tables alone
