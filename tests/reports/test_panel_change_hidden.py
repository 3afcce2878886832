"""A panel change hidden because a few organisations left says why, in the file, the sector
report and the public page: the panel itself is large, so "n < 5" would be the wrong reason."""

from __future__ import annotations

import pytest

from barometre.questionnaire import load_questionnaire
from barometre.reports.render import sector_html
from barometre.reports.sector import build_sector_report
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave

HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def waves():
    sector = simulate_sector(HLM, organisations=80, response_rate=0.6, seed=11)
    first = score_responses(HLM, sector.responses, source="wave 1").to_file()
    scored = [o for o in first.organisations if o.global_index is not None]
    gone = {o.organisation_id for o in scored[:2]}  # two organisations left
    second = first.model_copy(
        update={
            "organisations": tuple(o for o in first.organisations if o.organisation_id not in gone)
        }
    )
    change = compare_wave_scores(first, sector.frame, second, sector.frame, HLM)
    return sector, second, change


def test_the_file_says_the_panel_change_protects_the_leavers(waves):
    _sector, _second, change = waves
    panel = change.indicator("global").panel
    assert panel.suppressed and panel.suppression == "complementary" and panel.n is None
    assert change.indicator("global").population.suppression is None  # it is published


@pytest.mark.parametrize(
    ("language", "word", "note"),
    [
        ("fr", "masqué", "le chiffre des quelques organismes partis ou arrivés"),
        ("en", "hidden", "the figure of the few organisations that left or joined"),
    ],
)
def test_the_sector_report_tells_why_the_panel_change_is_hidden(waves, language, word, note):
    sector, second, change = waves
    estimates = estimate_wave(second, sector.frame, HLM)
    html = sector_html(build_sector_report(estimates, HLM, change=change, language=language))
    assert note in html and f"<td>{word}</td>" in html
