"""In a browser without JavaScript: Olivia, the operator, signs in, finds an organisation in a
frame of 120, closes the wave only once she has confirmed, and signs out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from tests.helpers import TINY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def olivia(db):
    get_user_model().objects.create_user(
        "olivia@operateur.example",
        email="olivia@operateur.example",
        password="mot-de-passe-d-olivia",
        is_staff=True,
    )


@pytest.fixture
def wave(db):
    rows = "".join(f"ORG-{n:03d},Organisme {n:03d},OPH,1000,59\n" for n in range(1, 121))
    wave = wave_create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=TINY,
        frame_csv="organisation_id,name,organisation_type,dwellings,department\n" + rows,
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


@pytest.fixture
def no_script(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", java_script_enabled=False
    )
    yield context
    context.close()


def test_operator_confirms_closing_and_signs_out_without_javascript(
    live_server, no_script, olivia, wave
):
    page = no_script.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("olivia@operateur.example")
    page.get_by_label("Mot de passe").fill("mot-de-passe-d-olivia")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Connecté en tant que olivia@operateur.example")).to_be_visible()

    page.get_by_role("link", name="2026").click()
    expect(page.locator("[data-matching]")).to_have_text("120 organismes correspondent.")
    expect(page.locator("tr[data-organisation]")).to_have_count(50)
    page.get_by_role("link", name="Page suivante").click()
    expect(page.get_by_text("Page 2 sur 3")).to_be_visible()
    page.get_by_label("Organisme (nom ou identifiant)").fill("organisme 042")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("tr[data-organisation]")).to_have_count(1)
    expect(page.locator("tr[data-organisation]")).to_contain_text("Organisme 042")

    # Closing asks first; cancelling leaves the wave open.
    page.get_by_role("button", name="Fermer la vague").click()
    expect(page.locator("h1")).to_have_text("Fermer la vague Baromètre 2026\u202f?")
    page.get_by_role("link", name="Annuler").click()
    expect(page.locator("[data-wave-status]")).to_have_text("ouverte")
    page.get_by_role("button", name="Fermer la vague").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("[data-wave-status]")).to_have_text("fermée")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    page.get_by_role("link", name="Se connecter (référents et opérateurs)").click()
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(page.locator("h1")).to_have_text("Baromètre de la maturité numérique du logement social")
