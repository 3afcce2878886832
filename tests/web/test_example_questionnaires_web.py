"""The example questionnaires in the respondent's pages: the English-first example on the
French interface (its texts in English marked `lang="en"` where French is missing), a path
item whose first step alone starts the walk, and conditional questions hidden until their
condition holds (docs/questionnaire-format.md, "Examples")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from barometre.questionnaire.loader import builtin_path
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from tests.web.conftest import FRAME, _link

pytestmark = pytest.mark.django_db


def example_wave(name: str) -> Wave:
    wave = wave_create(
        year=2026,
        title=name,
        questionnaire_yaml=builtin_path(name).read_text(encoding="utf-8"),
        frame_csv=FRAME,
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


def page(client, token: str, number: int) -> BeautifulSoup:
    response = client.get(reverse("responses:page", kwargs={"token": token, "number": number}))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def autosave(client, token: str, field: str, value: str) -> None:
    reply = client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": 0, "session": "s"},
    )
    assert reply.json()["ok"], reply.content


@pytest.fixture
def data_contact(db) -> str:
    return _link(example_wave("example-data-pathway"), "ALPHA", "data", "dana@alpha.example")


@pytest.fixture
def director(db) -> str:
    return _link(
        example_wave("example-digital-services"), "ALPHA", "direction", "dir@alpha.example"
    )


def test_the_english_first_example_on_the_french_interface(client, data_contact):
    html = page(client, data_contact, 1)  # collect: col_pathway, col_sources, col_backup
    assert html.html["lang"] == "fr"
    # its French texts are shown as such, with no lang of their own
    heading = html.find("h1")
    assert (heading.get_text(strip=True), heading.get("lang")) == ("Enregistrer les données", None)
    backup = html.find("fieldset", id="item-col_backup")
    legend = backup.find("legend")
    assert legend.get_text(strip=True).startswith("Une copie de vos fichiers")
    assert legend.get("lang") is None
    # the one text without French, shown in the questionnaire's default language, English
    help_text = backup.find("p", class_="help")
    assert help_text.get_text(strip=True).startswith("A backup counts once")
    assert help_text.get("lang") == "en"
    # collect counts an unanswered question 0 (the questionnaire's missing_as_zero), and
    # says so; people overrides it (missing_as_zero: false) and says nothing
    assert html.find(attrs={"data-counts-zero": True}) is not None
    assert page(client, data_contact, 3).find(attrs={"data-counts-zero": True}) is None


def test_the_english_first_example_on_the_english_interface(client_en, data_contact):
    html = page(client_en, data_contact, 1)
    assert html.html["lang"] == "en"
    heading = html.find("h1")
    assert (heading.get_text(strip=True), heading.get("lang")) == ("Recording data", None)
    help_text = html.find("fieldset", id="item-col_backup").find("p", class_="help")
    assert help_text.get("lang") is None


def test_a_path_starts_at_its_first_step(client, data_contact):
    path = page(client, data_contact, 1).find("fieldset", id="item-col_pathway")
    steps = path.find_all("fieldset", class_="path-step")
    assert [s["data-step"] for s in steps] == ["digital", "once", "checks"]
    # the walk starts at the first step alone (the page's script shows the next ones as the
    # answers lead to them; without it every step is shown with the note)
    assert [s.has_attr("data-first-step") for s in steps] == [True, False, False]
    assert path.find(attrs={"data-path-note": True}) is not None
    # digital: yes leads on to once; no and partly end the path
    leads = {i["value"]: i.get("data-next") for i in steps[0].find_all("input")}
    assert leads == {"no": None, "partly": None, "yes": "once"}


def fieldset(html: BeautifulSoup, item: str):
    found = html.find("fieldset", attrs={"data-item": item})
    assert found is not None, item
    return found


def option(html: BeautifulSoup, item: str, code: str):
    found = html.find("input", attrs={"name": f"multi:{item}", "value": code})
    assert found is not None, (item, code)
    return found.parent


def test_conditional_questions_wait_for_their_condition(client, director):
    html = page(client, director, 1)  # demarches
    assert not fieldset(html, "dem_portal").has_attr("hidden")
    # dem_portal unanswered: dem_procedures waits for yes
    assert fieldset(html, "dem_procedures").has_attr("hidden")
    # its option paiement waits for paiement ticked in dem_tools
    assert option(html, "dem_procedures", "paiement").has_attr("hidden")
    assert not option(html, "dem_procedures", "rendez_vous").has_attr("hidden")
    # acc_feedback (page 2) waits for dem_portal yes or acc_help permanence
    assert fieldset(page(client, director, 2), "acc_feedback").has_attr("hidden")

    autosave(client, director, "dem_portal", "yes")
    autosave(client, director, "dem_tools", "paiement")
    html = page(client, director, 1)
    assert not fieldset(html, "dem_procedures").has_attr("hidden")
    assert not option(html, "dem_procedures", "paiement").has_attr("hidden")
    # any_of: its first condition holds
    assert not fieldset(page(client, director, 2), "acc_feedback").has_attr("hidden")
    # pil_indicators (page 3) waits for a written plan
    assert fieldset(page(client, director, 3), "pil_indicators").has_attr("hidden")
    autosave(client, director, "pil_plan", "ecrit")
    assert not fieldset(page(client, director, 3), "pil_indicators").has_attr("hidden")
