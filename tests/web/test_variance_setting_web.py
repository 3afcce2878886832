"""The web's wave computation estimates the sector with the questionnaire's variance method
(`methodology.variance`), not a constant of the code."""

from __future__ import annotations

import functools

import pytest

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.simulate import simulate_sector
from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from tests.helpers import TINY, tiny_questionnaire
from tests.web.conftest import answer_everything

pytestmark = pytest.mark.django_db

WITH_VARIANCE = TINY.replace(
    "title: {fr: Questionnaire de test}",
    "title: {fr: Questionnaire de test}\n"
    "methodology:\n  variance: {method: bootstrap, replicates: 20, seed: 3}",
)


@functools.cache
def _sector():
    return simulate_sector(tiny_questionnaire(), organisations=60, seed=5)


def _computed(year: int, questionnaire_yaml: str) -> Wave:
    sector = _sector()
    wave = wave_create(
        year=year,
        title=f"Baromètre {year}",
        questionnaire_yaml=questionnaire_yaml,
        frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    answer_everything(wave, sector)
    wave = wave_transition(wave=wave, target=Wave.Status.CLOSED)
    return wave_compute(wave=wave)


def test_the_computation_uses_the_questionnaire_s_variance():
    wave = _computed(2026, WITH_VARIANCE)
    assert wave.estimates is not None, wave.estimate_problem
    assert wave.estimates.method.variance == "bootstrap (Rao-Wu rescaling, 20 replicates, seed 3)"


def test_without_the_key_it_is_the_default_jackknife():
    wave = _computed(2026, TINY)
    assert wave.estimates is not None, wave.estimate_problem
    assert wave.estimates.method.variance.startswith("jackknife JK1")
