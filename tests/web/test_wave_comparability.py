"""A wave whose questionnaire changed the scores since the last published wave says why,
where the change since that wave would be: the public sector page (which dimensions stay
comparable), the operator's page of the wave and the referent's dashboard (issue 12 §2
"Versions", docs/versions.md). Synthetic sector of the small questionnaire."""

from __future__ import annotations

import functools
import html
import re

import pytest
from django.urls import reverse

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.simulate import simulate_sector
from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.selectors import previous_wave_comparison
from barometre.web.campaigns.services import wave_create, wave_transition
from tests.helpers import TINY, tiny_questionnaire
from tests.web.conftest import answer_everything

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: Version 2 weighs a_single (dimension A "Services", tech axis) 3 instead of 2.
REWEIGHTED = TINY.replace('version: "1"', 'version: "2"').replace(
    "    axis: tech\n    weight: 2\n", "    axis: tech\n    weight: 3\n"
)
#: Version 2 only rewords the question b_sponsor.
REWORDED = TINY.replace('version: "1"', 'version: "2"').replace(
    "label: {fr: Sponsor}", "label: {fr: Parrain}"
)


@functools.cache
def _sector():
    return simulate_sector(tiny_questionnaire(), organisations=60, seed=5)


def _wave(year: int, questionnaire_yaml: str, *, publish: bool = True) -> Wave:
    """A wave of the synthetic sector, answered, computed (and published)."""
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
    wave = wave_compute(wave=wave)
    assert wave.estimates is not None, wave.estimate_problem
    if publish:
        wave = wave_transition(wave=wave, target=Wave.Status.PUBLISHED)
    return wave


def _text(response) -> str:
    assert response.status_code == 200
    # Only ASCII white space is squeezed: the French no-break spaces are part of what is checked.
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"[ \t\r\n]+", " ", text)


def _public(client, year: int) -> str:
    return _text(client.get(reverse("public:sector", kwargs={"year": year})))


def test_a_breaking_change_is_explained_on_the_public_page_in_french_and_english(client, client_en):
    _wave(2025, TINY)
    wave = _wave(2026, REWEIGHTED)
    assert wave.change is None  # the waves are not compared

    french = _public(client, 2026)
    assert "Comparabilité avec 2025" in french
    assert (
        "L'évolution depuis 2025 n'est pas affichée\u202f: le questionnaire a changé d'une "
        "façon qui modifie les scores."
    ) in french
    assert "Dimensions comparables avec 2025\u202f: Pilotage." in french
    assert (
        "La dimension «\u202fServices\u202f» a changé\u202f: question a_single\u202f: weight "
        "modifié, de 2 à 3"
    ) in french
    assert "Évolution depuis 2025, par dimension" not in french

    english = _public(client_en, 2026)
    assert "Comparability with 2025" in english
    assert "Dimensions comparable with 2025: Pilotage." in english
    assert (
        "The dimension “Services” changed: question a_single: weight changed from 2 to 3"
    ) in english


def test_a_reworded_question_keeps_every_dimension_comparable_in_one_line(client):
    _wave(2025, TINY)
    wave = _wave(2026, REWORDED)
    assert wave.change is not None and wave.change.before_year == 2025
    page = _public(client, 2026)
    assert (
        "Toutes les dimensions sont comparables avec la vague 2025\u202f: le questionnaire "
        "note les mêmes réponses de la même façon."
    ) in page
    assert "Comparabilité avec" not in page
    assert "Évolution depuis 2025, par dimension" in page


def test_the_operator_and_the_referent_are_told_why_there_is_no_change(client, olivia):
    _wave(2025, TINY)
    wave = _wave(2026, REWEIGHTED, publish=False)  # computed, not yet published
    why = "question a_single\u202f: weight modifié, de 2 à 3"
    operator = _text(client.get(reverse("backoffice:wave", kwargs={"year": 2026})))
    assert (
        "Cette vague n'est pas comparée à la vague 2025\u202f: le questionnaire a changé"
    ) in operator
    assert why in operator
    assert "Dimensions dont les scores restent comparables\u202f: Pilotage." in operator
    organisation = wave.scores.organisations[0].organisation_id
    dashboard = _text(
        client.get(
            reverse("organisations:dashboard", kwargs={"external_id": organisation, "year": 2026})
        )
    )
    assert why in dashboard


def test_no_reason_when_the_waves_compare_or_when_no_earlier_wave_is_published(client, olivia):
    _wave(2025, TINY, publish=False)  # computed only: not a wave anyone compares with
    wave = _wave(2026, REWEIGHTED)
    assert previous_wave_comparison(wave) is None
    operator = _text(client.get(reverse("backoffice:wave", kwargs={"year": 2026})))
    assert "n'est pas comparée" not in operator
    assert "Comparabilité avec" not in _public(client, 2026)


def test_the_change_uses_an_older_wave_that_compares_and_says_so(client):
    _wave(2024, TINY)
    _wave(2025, REWEIGHTED)
    wave = _wave(2026, TINY.replace('version: "1"', 'version: "3"'))
    assert wave.change is not None and wave.change.before_year == 2024
    comparison = previous_wave_comparison(wave)
    assert comparison is not None
    assert (comparison.previous_year, comparison.compared_year) == (2025, 2024)
    page = _public(client, 2026)
    assert "L'évolution affichée est celle depuis 2024, la dernière vague comparable." in page
