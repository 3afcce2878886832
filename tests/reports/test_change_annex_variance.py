"""The sector report's change annex says how the change's variance was computed, in French and
in English: from each wave's replicate weights with the linearised correlation (the default
jackknife), linearised when the method asks it, or linearised because the replicates of a
sparse wave could not be calibrated again."""

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
ENDING = {
    "en": "Student's t with the degrees of freedom of the two waves together",
    "fr": "loi de Student avec les degrés de liberté des deux vagues réunies",
}
REPLICATES = {
    "en": (
        "each wave's variance, and the panel change's, comes from the wave's replicate "
        "weights (delete-one jackknife, the weights calibrated again in each replicate), as "
        "its estimates; the covariance of the two waves comes from their correlation computed "
        "by linearisation, since replicate weights cannot be paired across two waves drawn "
        "independently."
    ),
    "fr": (
        "la variance de chaque vague, et celle de l'évolution du panel, provient des poids de "
        "répliques de la vague (jackknife à un retrait, les poids recalés dans chaque "
        f"réplique), comme ses estimations{NNBSP}; la covariance des deux vagues provient de "
        "leur corrélation calculée par linéarisation, car des poids de répliques ne peuvent "
        "pas être appariés entre deux vagues tirées indépendamment."
    ),
}
LINEARISED = {
    "en": "it is computed by linearisation, with each wave's calibration residuals.",
    "fr": "elle est calculée par linéarisation, avec les résidus du calage de chaque vague.",
}
FALLBACK = {
    "en": "the delete-one jackknife asked for could not be used (a wave's weights could not "
    "be calibrated again in every replicate): it is computed by linearisation",
    "fr": "le jackknife à un retrait demandé n'a pas pu être utilisé (les poids d'une vague ne "
    f"pouvaient pas être recalés dans chaque réplique){NNBSP}: elle est calculée par "
    "linéarisation",
}


def _waves(organisations: int, response_rate: float, seed: int):
    first = simulate_sector(
        HLM, organisations=organisations, response_rate=response_rate, seed=seed
    )
    second = simulate_next_wave(HLM, first, seed=seed + 1)
    scores_1 = score_responses(HLM, first.responses, source="wave 1").to_file()
    scores_2 = score_responses(HLM, second.responses, source="wave 2").to_file()
    return scores_1, first.frame, scores_2, second.frame


@pytest.fixture(scope="module")
def waves():
    scores_1, frame_1, scores_2, frame_2 = _waves(80, 0.6, 41)
    change = compare_wave_scores(scores_1, frame_1, scores_2, frame_2, HLM)
    linear = compare_wave_scores(
        scores_1, frame_1, scores_2, frame_2, HLM, variance="linearisation"
    )
    estimates = estimate_wave(scores_2, frame_2, HLM)
    return estimates, change, linear


def _change_annex(estimates, change, language):
    report = build_sector_report(estimates, HLM, change=change, language=language)
    [section] = [s for s in report.annex if s.heading == texts(language)["change"]]
    return " ".join(section.lines)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_change_annex_says_the_variance_comes_from_the_replicates(waves, language):
    estimates, change, _linear = waves
    assert estimates.method.variance.startswith("jackknife")  # the estimates' own
    assert change.method.variance == "jackknife"
    annex = _change_annex(estimates, change, language)
    assert REPLICATES[language] in annex and ENDING[language] in annex
    assert LINEARISED[language] not in annex


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_change_annex_says_linearised_when_the_change_is(waves, language):
    estimates, _change, linear = waves
    assert linear.method.variance == "linearisation"
    annex = _change_annex(estimates, linear, language)
    assert LINEARISED[language] in annex and ENDING[language] in annex
    assert REPLICATES[language] not in annex and FALLBACK[language] not in annex


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_file_written_before_the_variance_was_recorded_reads_as_linearised(waves, language):
    estimates, _change, linear = waves
    older = linear.model_copy(
        update={"method": linear.method.model_copy(update={"variance": None})}
    )
    assert LINEARISED[language] in _change_annex(estimates, older, language)


def test_a_wave_whose_replicates_cannot_be_calibrated_gives_a_linearised_change():
    # 32 of 40 organisations, raked: with one left out the raking has no solution (as
    # tests/web/test_method_page.py): the whole change is linearised, and the file and the
    # annex say why.
    scores_1, frame_1, scores_2, frame_2 = _waves(40, 0.8, 5)
    change = compare_wave_scores(scores_1, frame_1, scores_2, frame_2, HLM)
    assert change.method.variance == "linearisation"
    assert change.method.variance_fallback.startswith("jackknife not possible (")
    assert "`variance_fallback`" in change.method.population
    linear = compare_wave_scores(
        scores_1, frame_1, scores_2, frame_2, HLM, variance="linearisation"
    )
    assert change.indicators == linear.indicators
    estimates = estimate_wave(scores_2, frame_2, HLM)
    for language in ("en", "fr"):
        annex = _change_annex(estimates, change, language)
        assert FALLBACK[language] in annex and REPLICATES[language] not in annex
