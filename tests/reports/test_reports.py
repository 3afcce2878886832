"""The reports contain the figures of the scores they were made from, the same every run."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest

from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html, sector_html, write_pdf
from barometre.reports.sector import build_sector_report
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave

HLM = load_questionnaire("hlm-2026")
#: The README's pictures of the reports are written only when asked (`make screenshots`).
SCREENSHOTS = os.environ.get("BAROMETRE_SCREENSHOTS", "")


def save_page(path, page: int, name: str) -> None:
    """A page of the PDF as PNG, for the README (rendered in any case: it must render)."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(str(path))
    document[page].render(scale=1.3).to_pil().save(folder / f"{name}.png")


@pytest.fixture(scope="module")
def wave():
    sector = simulate_sector(HLM, organisations=200, response_rate=0.5, seed=8)
    scores = score_responses(HLM, sector.responses).to_file()
    return sector, scores


def pdf_text(path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def french(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def test_the_organisation_pdf_holds_the_scores_and_is_the_same_every_run(wave, tmp_path):
    _sector, scores = wave
    org = next(o for o in scores.organisations if o.scored)
    library = load_library(None, HLM)
    texts = []
    for run in range(2):
        report = build_organisation_report(
            scores, org.organisation_id, HLM, library, wave="Baromètre test", for_print=True
        )
        path = write_pdf(organisation_html(report), tmp_path / f"org-{run}.pdf")
        texts.append(pdf_text(path))
    assert texts[0] == texts[1]
    save_page(tmp_path / "org-0.pdf", 1, "report-organisation")
    text = texts[0]
    assert french(org.global_index) in text
    for dimension in HLM.dimensions:
        score = org.dimension_score(dimension.id)
        if score is not None:
            assert french(score) in text, dimension.id
    assert "Données synthétiques" in text
    assert "Feuille de route" in text and "Annexe méthodologique" in text
    for recommendation in report.plan.roadmap:
        assert recommendation.sheet.title.fr[:30] in text.replace("\r\n", " ")


def test_the_sector_pdf_holds_the_estimates(wave, tmp_path):
    sector, scores = wave
    estimates = estimate_wave(scores, sector.frame, HLM)
    report = build_sector_report(
        estimates, HLM, title="Baromètre test", scores=scores, library=load_library(None, HLM)
    )
    path = write_pdf(sector_html(report), tmp_path / "sector.pdf")
    text = pdf_text(path)
    save_page(path, 1, "report-sector")
    overall = estimates.sector.global_index
    assert french(overall.value) in text
    assert french(overall.ci_low) in text and french(overall.ci_high) in text
    assert "Fiabilité des dimensions" in text and "Annexe méthodologique" in text
    suppressed = [d for d in estimates.domains.region if d.suppressed]
    assert suppressed and "n < 5" in text


def test_html_report_is_made_for_the_browser(wave):
    _sector, scores = wave
    org = next(o for o in scores.organisations if o.scored)
    report = build_organisation_report(scores, org.organisation_id, HLM, load_library(None, HLM))
    html = organisation_html(report)
    assert html.startswith("<!doctype html>") and "<svg" in html


def test_the_sector_report_says_why_a_cell_is_hidden(wave):
    """A region hidden to protect another (complementary suppression) reads "masqué", with the
    reason under the tables; a region below the minimum still reads "n < 5"."""
    sector, scores = wave
    estimates = estimate_wave(scores, sector.frame, HLM)
    regions = list(estimates.domains.region)
    shown = next(i for i, d in enumerate(regions) if not d.suppressed)
    hidden = regions[shown]
    figure = hidden.global_index.model_copy(
        update={"suppressed": True, "suppression": "complementary", "value": None}
    )
    regions[shown] = hidden.model_copy(
        update={"suppressed": True, "suppression": "complementary", "global_index": figure}
    )
    edited = estimates.model_copy(
        update={"domains": estimates.domains.model_copy(update={"region": tuple(regions)})}
    )
    for language, word, note in (
        ("fr", "masqué", "Il est masqué pour protéger celui-là."),
        ("en", "hidden", "It is hidden to protect that one."),
    ):
        html = sector_html(build_sector_report(edited, HLM, language=language))
        assert f'<span class="muted">{word}</span>' in html and note in html
        assert "n &lt; 5" in html
    plain = sector_html(build_sector_report(estimates, HLM, language="en"))
    assert ("It is hidden to protect that one." in plain) == any(
        d.global_index.suppression == "complementary"
        for v in ("organisation_type", "size_class", "region")
        for d in estimates.domains.of(v)
    )


def test_the_organisation_report_says_why_the_gap_is_not_shown(wave):
    _sector, scores = wave
    library = load_library(None, HLM)
    org = next(o for o in scores.organisations if o.scored and o.perception_gap is None)
    html = organisation_html(build_organisation_report(scores, org.organisation_id, HLM, library))
    assert "il faut au moins deux répondants de la direction et deux" in html
    assert (
        "Dispersion et écart\u202f: «\u202f—\u202f» lorsqu&#39;il y a moins de deux répondants"
        in html
    )
