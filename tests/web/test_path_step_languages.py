"""A path item's steps carry `lang` when their text is not in the page's language, as the other
items do (item.html): on the English interface, a step written in French only is marked
`lang="fr"` (its legend, help, options and their descriptions), one translated is not."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from tests.scoring.test_path_items import PATH_QUESTIONNAIRE
from tests.web.conftest import FRAME, _link

pytestmark = pytest.mark.django_db

#: open_data (translated) and branching (French only), with a help and an option's
#: description in French only on branching's first step.
QUESTIONNAIRE = (
    PATH_QUESTIONNAIRE[: PATH_QUESTIONNAIRE.index("  - id: notes")]
    .replace("        label: {fr: A}\n", '        label: {fr: A}\n        help: {fr: "Aide A"}\n')
    .replace(
        "- {code: x, label: {fr: x}, score: 10}",
        '- {code: x, label: {fr: x}, description: {fr: "Aucune"}, score: 10}',
    )
)


@pytest.fixture
def dina(db) -> str:
    wave = wave_create(
        year=2026, title="Parcours", questionnaire_yaml=QUESTIONNAIRE, frame_csv=FRAME
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    return _link(wave, "ALPHA", "dg", "dina@alpha.example")


def _page(client, token: str) -> BeautifulSoup:
    response = client.get(reverse("responses:page", kwargs={"token": token, "number": 1}))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_french_only_steps_are_marked_on_the_english_page(client_en, dina):
    page = _page(client_en, dina)
    assert page.html["lang"] == "en"
    step = page.find("fieldset", id="step-branching-a")
    legend = step.find("legend")
    assert (legend.get_text(strip=True), legend.get("lang")) == ("A", "fr")
    help_text = step.find("p", class_="help")
    assert (help_text.get_text(strip=True), help_text.get("lang")) == ("Aide A", "fr")
    option = step.find("input", attrs={"value": "x"}).find_next_sibling("span")
    assert option.get("lang") == "fr"
    description = option.find("small")
    assert (description.get_text(strip=True), description.get("lang")) == ("Aucune", "fr")
    # a translated step is in the page's language: no lang of its own
    publish = page.find("fieldset", id="step-open_data-publish")
    assert publish.find("legend").get_text(strip=True) == "Do you publish open data?"
    assert publish.find("legend").get("lang") is None
    assert publish.find("p", class_="help").get("lang") is None
    yes = publish.find("input", attrs={"value": "yes"}).find_next_sibling("span")
    assert (yes.get_text(strip=True), yes.get("lang")) == ("Yes", None)


def test_nothing_is_marked_on_the_french_page(client, dina):
    page = _page(client, dina)
    assert page.html["lang"] == "fr"
    assert not page.select("main [lang]")
