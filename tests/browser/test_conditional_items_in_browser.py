"""Conditional questions in the browser: a question appears once the answer it depends on is
given, disappears (its answer kept) when that answer changes, an option follows an answer of
another page, and a screen reader is told; the page passes axe-core as it changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.responses.models import Answer
from tests.scoring.test_conditional_items import CONDITIONAL
from tests.web.test_conditional_pages_web import PAGED
from tests.web.test_hidden_choices_web import SINGLE

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Toutes vos réponses sont enregistrées."
REVEALED = "Votre réponse appelle une autre question\u202f: elle s'affiche plus bas."
CONCEALED = "Vu votre réponse, une question ne s'applique plus\u202f: elle est masquée."
PAGE_REVEALED = (
    "Votre réponse appelle une autre page de questions\u202f: elle s'ajoute à la liste des pages."
)


@pytest.fixture
def token(respondent_token) -> str:
    return respondent_token(CONDITIONAL, "dsi", title="Conditions")


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


def test_a_choice_hidden_by_an_answer_is_set_aside_and_not_counted(
    live_server, phone, respondent_token
):
    # SINGLE: governance's option "delegated" (page 2 of 2) is offered only while tools has erp
    token = respondent_token(SINGLE, "dsi", title="Conditions")
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/2/")
    governance = page.locator("[data-item='governance']")
    delegated = governance.locator("input[value='delegated']")
    note = governance.locator("[data-set-aside]")
    current = page.locator("[data-current-step]")
    listed = page.locator("[data-unanswered-item='governance']")

    page.locator("input[name='multi:tools'][value='erp']").check()
    delegated.check()
    page.locator("input[name='f:gov_review'][value='yes']").check()  # asked: tools has erp
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(note).to_be_hidden()
    expect(listed).to_be_hidden()
    # tools, governance, gov_review answered; practices not asked (governance is neither
    # partial nor full): the page is complete
    expect(current).to_have_attribute("data-state", "complete")

    # crm instead of erp: "delegated" is hidden, still ticked (kept), and no longer counts
    page.locator("input[name='multi:tools'][value='erp']").uncheck()
    page.locator("input[name='multi:tools'][value='crm']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(delegated).to_be_hidden()
    expect(delegated).to_be_checked()
    expect(note).to_be_visible()
    expect(note).to_contain_text("votre choix précédent ne s’applique plus")  # one choice
    expect(note.locator("[data-set-aside-choices]")).to_have_text("Déléguée")
    expect(current).to_have_attribute("data-state", "incomplete")
    expect(listed).to_be_visible()  # the last page's list: governance waits for an answer
    assert stored()["governance"] == "delegated"

    # erp again: the choice is shown and counted again, the note goes
    page.locator("input[name='multi:tools'][value='erp']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(delegated).to_be_visible()
    expect(note).to_be_hidden()
    expect(current).to_have_attribute("data-state", "complete")
    expect(listed).to_be_hidden()


def test_a_page_with_nothing_to_answer_leaves_the_strip_as_the_answers_go(
    live_server, phone, respondent_token
):
    # PAGED: page 3 holds only review_report, asked when gov_review (page 2) is yes
    token = respondent_token(PAGED, "dsi", title="Pages")
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/2/")
    step_3 = page.locator(".step-strip li").nth(2)
    status = page.locator("[data-relevance-status]")
    expect(step_3).to_be_hidden()
    expect(page.locator(".step-strip li")).to_have_count(4)

    page.locator("input[name='f:governance'][value='partial']").check()
    expect(status).to_have_text(REVEALED)  # gov_review
    expect(step_3).to_be_hidden()  # gov_review not answered yet
    page.locator("input[name='f:gov_review'][value='yes']").check()
    expect(step_3).to_be_visible()
    expect(status).to_have_text(PAGE_REVEALED)
    expect(step_3.locator("a")).to_have_attribute("href", f"/repondre/{token}/page/3/")

    # governance = none hides gov_review, and page 3 with it (gov_review's answer is kept)
    page.locator("input[name='f:governance'][value='none']").check()
    expect(page.locator("[data-item='gov_review']")).to_be_hidden()
    expect(step_3).to_be_hidden()
    expect(status).to_have_text(CONCEALED)
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored()["gov_review"] == "yes"

    # "Next page" passes page 3
    page.get_by_role("button", name="Page suivante").click()
    expect(page).to_have_url(f"{live_server.url}/repondre/{token}/page/4/")
    expect(page.locator("a[data-previous]")).to_have_attribute("href", f"/repondre/{token}/page/2/")

    # on page 1, the answers of page 2 decide, through their conditions: gov_review's saved
    # "yes" does not bring page 3 back while gov_review itself is not asked
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    page.locator("input[name='f:has_site'][value='yes']").check()
    expect(page.locator("[data-item='site_services']")).to_be_visible()
    expect(page.locator(".step-strip li").nth(2)).to_be_hidden()


def test_without_javascript_next_page_passes_a_page_with_nothing_to_answer(
    live_server, browser, respondent_token
):
    token = respondent_token(PAGED, "dsi", title="Pages")
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/2/")
    expect(page.locator(".step-strip li").nth(2)).to_be_hidden()
    page.locator("input[name='f:governance'][value='none']").check()
    page.get_by_role("button", name="Page suivante").click()
    expect(page).to_have_url(f"{live_server.url}/repondre/{token}/page/4/")
    assert stored() == {"governance": "none"}
    # page 3 by its address: it says there is nothing to answer on it, and goes on
    page.goto(f"{live_server.url}/repondre/{token}/page/3/")
    expect(page.locator("[data-nothing-to-answer]")).to_have_text(
        "Vu vos réponses, aucune question de cette page ne vous concerne."
    )
    page.get_by_role("button", name="Page suivante").click()
    expect(page).to_have_url(f"{live_server.url}/repondre/{token}/page/4/")
    context.close()


#: CONDITIONAL with a question of page 1 asked when tools (page 2, the last page) has crm.
CROSS = CONDITIONAL + (
    "  - id: site_crm\n"
    "    kind: yesno\n"
    "    dimension: d1\n"
    "    axis: tech\n"
    "    roles: [dg, dsi]\n"
    "    relevant: {item: tools, in: [crm]}\n"
    "    label: {fr: Site relié à la GRC}\n"
)


def test_the_list_of_unanswered_questions_follows_the_conditions_of_other_pages(
    live_server, phone, respondent_token
):
    token = respondent_token(CROSS, "dsi", title="Conditions")
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/2/")
    crm = page.locator("input[name='multi:tools'][value='crm']")
    crm.check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    page.reload()
    listed = page.locator("[data-unanswered-item='site_crm']")  # asked now, on page 1
    expect(listed).to_be_visible()
    crm.uncheck()  # site_crm is no longer asked: it leaves the list at once
    expect(listed).to_be_hidden()
    expect(page.locator("[data-unanswered-item='has_site']")).to_be_visible()
    crm.check()
    expect(listed).to_be_visible()
