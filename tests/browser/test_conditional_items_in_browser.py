"""Conditional questions in the browser: a question appears once the answer it depends on is
given, disappears (its answer kept) when that answer changes, an option follows an answer of
another page, and a screen reader is told; the page passes axe-core as it changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Answer
from tests.scoring.test_conditional_items import CONDITIONAL

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = (
    "organisation_id,name,organisation_type,dwellings,department\n"
    "SYN-0001,Office synthétique,OPH,9000,59\n"
)
SAVED = "Toutes vos réponses sont enregistrées."
REVEALED = "Votre réponse appelle une autre question : elle s'affiche plus bas."
CONCEALED = "Vu votre réponse, une question ne s'applique plus : elle est masquée."


@pytest.fixture
def token(db):
    wave = wave_create(
        year=2026, title="Conditions", questionnaire_yaml=CONDITIONAL, frame_csv=FRAME
    )
    wave_transition(wave=wave, target=Wave.Status.OPEN)
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(),
        kind=AccessLink.Kind.RESPONDENT,
        role="dsi",
        email="dsi@example.org",
    )
    return token


def stored() -> dict[str, str]:
    return dict(Answer.objects.values_list("field_id", "value"))


def test_questions_appear_and_vanish_with_the_answers_they_depend_on(live_server, phone, token):
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    services = page.locator("[data-item='site_services']")
    audit = page.locator("[data-item='site_audit']")
    status = page.locator("[data-relevance-status]")

    expect(services).to_be_hidden()
    expect(audit).to_be_hidden()

    page.locator("input[name='f:has_site'][value='yes']").check()
    expect(services).to_be_visible()
    expect(status).to_have_text(REVEALED)
    # the focus stays on the answer given; the new question comes after it
    expect(page.locator("input[name='f:has_site'][value='yes']")).to_be_focused()
    # crm_link is offered only when tools (page 2) has crm ticked: not yet
    expect(services.locator("input[value='crm_link']")).to_be_hidden()

    services.locator("input[value='payment']").check()
    expect(audit).to_be_visible()  # a question revealed by a revealed question
    audit.locator("input[value='4']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)

    # has_site = no: both conditional questions go, in a cascade; their answers are kept
    page.locator("input[name='f:has_site'][value='no']").check()
    expect(services).to_be_hidden()
    expect(audit).to_be_hidden()
    expect(status).to_have_text(CONCEALED)
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored() == {"has_site": "no", "site_services": "payment", "site_audit": "4"}

    # a reload shows what the server decides from the saved answers
    page.reload()
    expect(services).to_be_hidden()
    expect(audit).to_be_hidden()
    page.locator("input[name='f:has_site'][value='yes']").check()
    expect(services).to_be_visible()
    expect(audit).to_be_visible()  # payment is still ticked
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)


def test_an_option_follows_an_answer_given_on_another_page(live_server, phone, token):
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/2/")
    page.locator("input[name='multi:tools'][value='crm']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    page.locator("input[name='f:has_site'][value='yes']").check()
    option = page.locator("[data-item='site_services'] input[value='crm_link']")
    expect(option).to_be_visible()
