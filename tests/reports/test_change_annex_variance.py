"""The sector report's change annex says that the change's variance is linearised whatever the
estimates' variance method (the default jackknife here), and why, in French and in English."""

from __future__ import annotations

import pytest

from barometre.questionnaire import load_questionnaire
from barometre.reports.sector import build_sector_report
from barometre.reports.texts import texts
from barometre.scoring import score_responses
from barometre.simulate import simulate_next_wave, simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave

HLM = load_questionnaire("hlm-2026")
NNBSP = "\u202f"


@pytest.fixture(scope="module")
def waves():
    first = simulate_sector(HLM, organisations=80, response_rate=0.6, seed=41)
    second = simulate_next_wave(HLM, first, seed=42)
    scores_1 = score_responses(HLM, first.responses, source="wave 1").to_file()
    scores_2 = score_responses(HLM, second.responses, source="wave 2").to_file()
    change = compare_wave_scores(scores_1, first.frame, scores_2, second.frame, HLM)
    estimates = estimate_wave(scores_2, second.frame, HLM)
    return estimates, change


def _change_annex(estimates, change, language):
    report = build_sector_report(estimates, HLM, change=change, language=language)
    [section] = [s for s in report.annex if s.heading == texts(language)["change"]]
    return " ".join(section.lines)


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "en",
            (
                "it is computed by linearisation, with each wave's calibration residuals, "
                "whatever the variance method of the estimates: replicate weights would have "
                "to be paired across the two waves",
                "Student's t with the degrees of freedom of the two waves together",
            ),
        ),
        (
            "fr",
            (
                "elle est calculée par linéarisation, avec les résidus du calage de chaque "
                f"vague, quelle que soit la méthode de variance des estimations{NNBSP}: des "
                "poids de répliques devraient être appariés d'une vague à l'autre",
                "loi de Student avec les degrés de liberté des deux vagues réunies",
            ),
        ),
    ],
)
def test_the_change_annex_says_the_variance_is_linearised(waves, language, sentences):
    estimates, change = waves
    assert estimates.method.variance != "linearisation"  # the estimates' own: the jackknife
    annex = _change_annex(estimates, change, language)
    for sentence in sentences:
        assert sentence in annex
