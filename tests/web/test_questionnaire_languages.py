"""A questionnaire in English only, answered on the French interface: its texts are shown in
English, each marked `lang="en"` so that a screen reader pronounces them right, while the
interface around them stays French (docs/questionnaire-format.md, "Languages")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from barometre.questionnaire import parse_questionnaire
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from tests.helpers import TINY
from tests.web.conftest import FRAME

#: The tiny questionnaire of the other web tests, declared English and with English texts:
#: every `{fr: ...}` of TINY made `{en: ...}`, the words prefixed "EN " so that they can be
#: told from any French text of the interface.
ENGLISH = (
    TINY.replace("title: {fr: Questionnaire de test}", "languages: [en]\ntitle: {en: Test}")
    .replace("{fr: ", "{en: EN ")
    .replace('{en: EN "', '{en: "EN ')
)


@pytest.fixture
def english_wave(db) -> Wave:
    wave = wave_create(
        year=2026, title="Baromètre 2026", questionnaire_yaml=ENGLISH, frame_csv=FRAME
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


@pytest.fixture
def alice_en(english_wave) -> str:
    _link, token = link_create(
        wave=english_wave,
        organisation=Organisation.objects.get(external_id="ALPHA"),
        kind=AccessLink.Kind.RESPONDENT,
        role="numerique",
        email="alice@alpha.example",
    )
    return token


def _page(client, token: str, number: int) -> BeautifulSoup:
    response = client.get(reverse("responses:page", kwargs={"token": token, "number": number}))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_english_questionnaire_is_english_only():
    q = parse_questionnaire(ENGLISH, "english.yaml")
    assert (q.languages, q.default_language) == (["en"], "en")
    assert q.item("a_scale").label.fr is None
    assert q.item("a_scale").label.en == "EN Échelle"


def test_its_texts_are_shown_in_english_marked_lang_en_on_the_french_interface(client, alice_en):
    page = _page(client, alice_en, 2)  # the first dimension, "EN Services"
    assert page.html["lang"] == "fr"  # the interface is French
    heading = page.find("h1")
    assert (heading.get_text(strip=True), heading.get("lang")) == ("EN Services", "en")
    scale = page.find("fieldset", id="item-a_scale")
    legend = scale.find("legend")
    assert (legend.get_text(strip=True), legend.get("lang")) == ("EN Échelle", "en")
    first = scale.find("input", attrs={"name": "f:a_scale", "value": "0"}).find_next_sibling("span")
    assert (first.get_text(strip=True), first.get("lang")) == ("EN zéro", "en")
    # the status table: its row and the questionnaire's options
    row = page.find("fieldset", attrs={"data-field": "a_status.r1"}).find("legend")
    assert (row.get_text(strip=True), row.get("lang")) == ("EN r1", "en")
    multi = page.find("input", attrs={"name": "multi:a_multi", "value": "p"}).parent
    assert (multi.get_text(strip=True), multi.get("lang")) == ("EN p", "en")
    # the interface's own words stay French, without a lang of their own
    special = scale.find("input", attrs={"name": "f:a_scale", "value": "NA"}).parent
    assert special.get_text(strip=True) == "Non applicable"
    assert special.get("lang") is None


def test_an_english_reader_gets_the_same_texts_without_a_lang_of_their_own(client_en, alice_en):
    page = _page(client_en, alice_en, 2)
    assert page.html["lang"] == "en"
    legend = page.find("fieldset", id="item-a_scale").find("legend")
    assert (legend.get_text(strip=True), legend.get("lang")) == ("EN Échelle", None)


def test_a_french_questionnaire_marks_nothing(client, alice):
    page = _page(client, alice, 2)
    assert not page.select("main [lang]")
