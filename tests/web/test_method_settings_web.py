"""Scoring settings on the web: the respondent is told that an unanswered question counts 0,
and the method page states the levels closed on their upper side (French and English)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from barometre.questionnaire.writer import questionnaire_yaml
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.public import method
from tests.scoring.test_method_settings import questionnaire
from tests.web.conftest import FRAME, _link

pytestmark = pytest.mark.django_db

#: d1 counts unanswered questions 0 (the methodology's setting), d2 does not (its own).
SETTINGS = questionnaire(maz=True, closed="upper", d2=False)


@pytest.fixture
def dina(db) -> str:
    wave = wave_create(
        year=2026,
        title="Réglages",
        questionnaire_yaml=questionnaire_yaml(SETTINGS),
        frame_csv=FRAME,
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    return _link(wave, "ALPHA", "direction", "dina@alpha.example")


def page(client, token: str, number: int, language: str = "fr") -> BeautifulSoup:
    url = reverse("responses:page", kwargs={"token": token, "number": number})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_page_whose_unanswered_questions_count_zero_says_so(client, dina):
    first = page(client, dina, 1)  # d1
    assert first.select_one("h1").get_text(strip=True) == "Un"
    note = first.select_one("[data-counts-zero]")
    assert note is not None
    assert "compte 0" in note.get_text() and "non applicable" in note.get_text()
    english = page(client, dina, 1, "en").select_one("[data-counts-zero]").get_text()
    assert "counts 0 in your organisation's score" in english
    second = page(client, dina, 2)  # d2 keeps the coverage rule
    assert second.select_one("h1").get_text(strip=True) == "Deux"
    assert second.select_one("[data-counts-zero]") is None


def test_the_method_page_states_levels_closed_above_and_the_zero_rule(client, monkeypatch):
    monkeypatch.setattr(
        method, "described_questionnaire", lambda: (SETTINGS, questionnaire_yaml(SETTINGS), None)
    )
    response = client.get("/methode/", HTTP_ACCEPT_LANGUAGE="en")
    soup = BeautifulSoup(response.content, "html.parser")
    heads = [th.get_text(strip=True) for th in soup.select("#levels table thead th")]
    assert heads == ["Level", "Global index above", "up to (included)"]
    rows = soup.select("#levels table tbody tr")
    # The lowest level is [0, 25], then (25, 50], (50, 75], (75, 100].
    assert [[c.get_text(strip=True) for c in row.select("th, td")] for row in rows] == [
        ["Very low", "0 (included)", "25"],
        ["Low", "25", "50"],
        ["Intermediate", "50", "75"],
        ["Advanced", "75", "100"],
    ]
    goalposts = soup.select_one("#goalposts").get_text(" ", strip=True)
    assert "counts 0 and the coverage rule does not apply" in goalposts
    assert goalposts.count("Un") >= 1
    french = BeautifulSoup(
        client.get("/methode/", HTTP_ACCEPT_LANGUAGE="fr").content, "html.parser"
    )
    assert "Indice global au-delà de" in french.select_one("#levels").get_text()
    assert "compte 0" in french.select_one("#goalposts").get_text()
