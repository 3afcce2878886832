"""A respondent on a phone answers half the questionnaire, reloads, finds every answer,
loses the network for a moment, finishes and submits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from barometre.questionnaire import builtin_path
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Answer

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = (
    "organisation_id,name,organisation_type,dwellings,department\n"
    "SYN-0001,Office synthétique,OPH,9000,59\n"
)
SAVED = "Toutes vos réponses sont enregistrées."


@pytest.fixture
def token(db):
    wave = wave_create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=builtin_path("hlm-2026").read_text(encoding="utf-8"),
        frame_csv=FRAME,
    )
    wave_transition(wave=wave, target=Wave.Status.OPEN)
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(),
        kind=AccessLink.Kind.RESPONDENT,
        role="proximite",
        email="gardien@example.org",
    )
    return token


def answer_page(page) -> dict[str, str]:
    """Answer every question of the page like a person would; returns what was chosen."""
    chosen = {}
    for box in page.locator("[data-field]").all():
        field = box.get_attribute("data-field")
        radios = box.locator("input[type=radio][name^='f:']")
        checkboxes = box.locator("input[type=checkbox]:not([data-exclusive])")
        number = box.locator("input[inputmode=decimal]")
        text = box.locator("textarea")
        if radios.count():
            choice = radios.nth(min(1, radios.count() - 3))  # a real option, not NA / DK
            choice.check()
            chosen[field] = choice.get_attribute("value")
        elif checkboxes.count():
            checkboxes.first.check()
            chosen[field] = checkboxes.first.get_attribute("value")
        elif number.count():
            number.fill("12,5")  # a French decimal comma
            number.blur()
            chosen[field] = "12,5"
        elif text.count():
            text.fill("Plus de tablettes pour les gardiens")
            text.blur()
            chosen[field] = "Plus de tablettes pour les gardiens"
    return chosen


def test_answers_survive_a_reload_and_a_network_loss(live_server, phone, token, screenshot):
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/")
    expect(page.locator("h1")).to_have_text("Votre organisme")
    pages = page.locator(".steps li").count()
    assert pages >= 5

    chosen: dict[str, str] = {}
    for number in range(1, pages // 2 + 1):
        page.goto(f"{live_server.url}/repondre/{token}/page/{number}/")
        chosen.update(answer_page(page))
        expect(page.locator("[data-save-status]")).to_have_text(SAVED)
        if number == 2:
            screenshot(page, "respondent-page-phone")

    # Everything chosen is on the server before any "next page" button was pressed.
    stored = dict(Answer.objects.values_list("field_id", "value"))
    assert {k: v for k, v in stored.items() if k in chosen} == chosen

    # Reload each page: every answer is still there.
    for number in range(1, pages // 2 + 1):
        page.goto(f"{live_server.url}/repondre/{token}/page/{number}/")
        for field, value in chosen.items():
            box = page.locator(f"[data-field='{field}']")
            if not box.count():
                continue
            target = box.locator(
                f"input[type=radio][value='{value}'], input[type=checkbox][value='{value}']"
            )
            if target.count():
                expect(target.first).to_be_checked()
            else:
                expect(box.locator("input[inputmode=decimal], textarea").first).to_have_value(value)

    # The network drops: the page says the answer is not saved, then saves it when back.
    page.goto(f"{live_server.url}/repondre/{token}/page/{pages // 2 + 1}/")
    phone.set_offline(True)
    first = page.locator("[data-field]").first
    first.locator("input[type=radio][name^='f:'], input[type=checkbox]").first.check()
    expect(page.locator("[data-save-status]")).to_contain_text("Pas encore enregistré")
    phone.set_offline(False)
    expect(page.locator("[data-save-status]")).to_have_text(SAVED, timeout=20000)
    assert Answer.objects.filter(field_id=first.get_attribute("data-field")).exists()

    # A figure that is not a number is refused: the question and the banner say so.
    for number in range(1, pages + 1):
        page.goto(f"{live_server.url}/repondre/{token}/page/{number}/")
        if page.locator("input[inputmode=decimal]").count():
            break
    figure = page.locator("input[inputmode=decimal]").first
    figure.fill("beaucoup")
    figure.blur()
    expect(page.locator("[data-save-status]")).to_contain_text("n'a pas pu être enregistrée")
    expect(page.locator("[data-field-status][data-state=error]").first).to_contain_text(
        "Saisissez un nombre"
    )
    figure.fill("15")
    figure.blur()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)

    # Finish the questionnaire and send it.
    for number in range(pages // 2 + 1, pages + 1):
        page.goto(f"{live_server.url}/repondre/{token}/page/{number}/")
        answer_page(page)
        expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(page.locator("progress")).to_have_attribute("value", re.compile(r"\d+"))
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("h1")).to_have_text("Merci")
    expect(page.get_by_text("Plus de tablettes pour les gardiens").first).to_be_visible()
    screenshot(page, "respondent-thanks-phone")
