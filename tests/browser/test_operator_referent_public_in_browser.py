"""In a browser: the referent reads the results; the operator closes, computes and publishes
the open wave; the public page shows it. Built on the demo's synthetic two-wave sector."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.demo import OPERATOR, REFERENT_PASSWORD, build_demo, demo_sectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    first, second = demo_sectors(organisations=200, seed=2026)
    return build_demo(first=first, second=second, year=2026)


def sign_in(page, url, email, password):
    page.goto(f"{url}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_referent_operator_and_public_reader(live_server, desktop, demo, screenshot):
    url = live_server.url
    page = desktop.new_page()

    # The referent of an OPH reads last wave's results.
    _family, email, name = demo.referents[0]
    sign_in(page, url, email, REFERENT_PASSWORD)
    page.get_by_role("link", name=f"{name} — Baromètre 2025 (données synthétiques)").click()
    expect(page.locator("h1")).to_have_text(name)
    global_index = page.locator("[data-global]").inner_text()
    assert 0 <= float(global_index.replace(",", ".")) <= 100
    expect(page.get_by_text("Pour atteindre le niveau suivant").first).to_be_visible()
    # the radar, the two axes and the position among the responding organisations
    expect(page.locator("figure svg")).to_have_count(3)
    screenshot(page, "referent-results")
    page.get_by_role("link", name="Baromètre").first.click()

    # The operator closes, computes and publishes the open wave.
    desktop.clear_cookies()
    sign_in(page, url, *OPERATOR)
    expect(page.locator("h1")).to_have_text("Vagues")
    page.get_by_role("link", name="2026").click()
    expect(page.locator("[data-wave-status]")).to_have_text("ouverte")
    screenshot(page, "operator-wave")
    page.get_by_role("button", name="Fermer la vague").click()
    page.get_by_role("button", name="Confirmer").click()  # closing asks first
    page.get_by_role("button", name="Calculer les résultats").click()
    expect(page.locator("[data-wave-status]")).to_have_text("calculée")
    page.get_by_role("button", name="Publier le baromètre du secteur").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("[data-wave-status]")).to_have_text("publiée")

    # Anyone reads the published sector barometer, with its change since last year.
    desktop.clear_cookies()
    page.goto(f"{url}/barometre/2026/")
    expect(page.locator("h1")).to_contain_text("Baromètre 2026")
    expect(page.get_by_text("Évolution depuis 2025").first).to_be_visible()
    expect(page.get_by_role("heading", name="Évolution depuis 2025, par dimension")).to_be_visible()
    expect(page.get_by_text("Données synthétiques").first).to_be_visible()
    screenshot(page, "public-sector")
