"""The charts of the PDFs keep their text as text (issue 14): `<text>` elements in the one font
the PDF embeds, no glyph outlines, nothing white paper shows anyway; and the PDF of an
organisation report holds the charts' words as text, in DejaVu Sans."""

from __future__ import annotations

import re
import subprocess

from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.reports.charts import radar, typology
from barometre.reports.organisation import build_organisation_report
from barometre.reports.position_chart import Position, position_chart
from barometre.reports.render import organisation_html, write_pdf
from barometre.reports.sector_charts import Point, interval_chart
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector

HLM = load_questionnaire("hlm-2026")
#: matplotlib's glyph outlines, defined once and `<use>`d: what `svg.fonttype: path` writes.
GLYPH = re.compile(r'<path id="DejaVuSans(-Bold)?-[0-9a-f]+"')


def print_charts() -> dict[str, str]:
    labels = ["Stratégie et gouvernance", "Relation et services aux locataires", "Outils"]
    return {
        "radar": radar(labels, {"SYN-0001": [10.0, 55.5, None]}, for_print=True),
        "typology": typology((18.5, 16.0), "SYN-0001", reference=(49.0, 48.0), for_print=True),
        "position": position_chart(
            Position(global_index=42.0, percentile=30.0, others=20),
            marker_label="SYN-0001",
            lowest_label="lowest index",
            highest_label="highest index",
            for_print=True,
        ),
        "interval": interval_chart(
            [Point("Stratégie", 47.2, 44.1, 50.3, 154)],
            "fr",
            title="Scores",
            minimum=5,
            for_print=True,
        ),
    }


def test_print_charts_write_their_text_as_text_in_the_pdfs_font():
    for name, svg in print_charts().items():
        assert "<text" in svg, name
        assert not GLYPH.search(svg), name
        assert '<use xlink:href="#DejaVuSans' not in svg, name
        families = set(re.findall(r"font-family: ([^;\"]+)", svg))
        assert families == {"'DejaVu Sans', sans-serif"}, (name, families)
        assert "<metadata>" not in svg, name


def test_print_charts_draw_no_white_background_and_the_organisation_charts_no_clip_path():
    charts = print_charts()
    for name, svg in charts.items():
        assert "fill: #ffffff" not in svg, name
    for name in ("radar", "typology", "position"):  # drawn within their axes' limits
        assert "clip-path" not in charts[name] and "<clipPath" not in charts[name], name


def test_the_words_of_the_radar_are_text_on_the_web_too():
    svg = radar(["Stratégie et gouvernance", "Outils"], {"A": [10.0, 20.0]})
    assert "<text" in svg and not GLYPH.search(svg)
    assert ">Stratégie et</text>" in svg and ">gouvernance</text>" in svg  # wrapped at 16


def test_the_organisation_pdf_holds_its_charts_words_in_dejavu_sans(tmp_path):
    sector = simulate_sector(HLM, organisations=40, response_rate=0.5, seed=3)
    scores = score_responses(HLM, sector.responses).to_file()
    org = next(o for o in scores.organisations if o.scored and o.family is not None)
    report = build_organisation_report(
        scores, org.organisation_id, HLM, load_library(None, HLM), for_print=True
    )
    path = write_pdf(organisation_html(report), tmp_path / "org.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    names = [line.split()[0] for line in fonts.stdout.splitlines()[2:]]
    assert names and all("DejaVu-Sans" in name for name in names), names
    lines = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    # the typology's four quadrants and its axes, the radar's wrapped labels and its scale
    for word in ("Pionniers", "Timides", "Conservateurs", "Prudents", "Tech", "Transfo"):
        assert word in lines, word
    for word in ("Stratégie et", "gouvernance", "25", "50", "75", "100"):
        assert word in lines, word
