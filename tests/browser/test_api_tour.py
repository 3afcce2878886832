"""In a browser: Olivia, the operator, makes a personal API token on "Mes jetons d'API", a
program calls the API with it (the waves she may see, a wave's organisations), then she
revokes it and the program is refused with a problem+json answer.

The wave is a small synthetic sector (the simulator's) on the test questionnaire; the token
page is the README's screenshot of the API."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.api.models import ApiToken
from tests.browser.conftest import COMPUTED_ORGANISATIONS

pytestmark = pytest.mark.django_db(transaction=True)


def test_operator_makes_a_token_a_program_uses_it_then_it_is_revoked(
    live_server, desktop, olivia, computed, screenshot
):
    page = desktop.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(olivia.email)
    page.get_by_label("Mot de passe").fill(olivia.password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mes jetons d’API").click()
    expect(page.locator("h1")).to_have_text("Mes jetons d’API")

    page.get_by_label("Nom du jeton").fill("Script du SI de la fédération")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert len(secret) >= 32
    expect(page.get_by_role("row", name="Script du SI de la fédération")).to_be_visible()
    # The database keeps a hash and a short prefix, never the secret itself.
    stored = ApiToken.objects.get()
    assert secret not in {value for value in vars(stored).values() if isinstance(value, str)}
    screenshot(page, "api-token-fr-desktop")

    api = desktop.request
    bearer = {"Authorization": f"Bearer {secret}", "Accept-Language": "fr"}
    waves = api.get(f"{live_server.url}/api/v1/waves", headers=bearer)
    assert waves.status == 200
    assert [wave["year"] for wave in waves.json()["items"]] == [2026]
    assert waves.json()["items"][0]["status"] == "computed"
    organisations = api.get(f"{live_server.url}/api/v1/waves/2026/organisations", headers=bearer)
    assert organisations.status == 200
    assert organisations.json()["total"] == COMPUTED_ORGANISATIONS
    # Without a token the program is the public: an unpublished wave does not exist for it.
    anonymous = api.get(f"{live_server.url}/api/v1/waves", headers={"Accept-Language": "fr"})
    assert anonymous.json()["items"] == []

    page.get_by_role("row", name="Script du SI de la fédération").get_by_role(
        "link", name="Révoquer"
    ).click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("est révoqué")).to_be_visible()
    refused = api.get(f"{live_server.url}/api/v1/waves", headers=bearer)
    assert refused.status == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["status"] == 401
