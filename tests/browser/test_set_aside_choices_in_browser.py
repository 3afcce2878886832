"""A choice set aside never calls for a later question, in the browser (issue 13).

The page's script reads an answer as the engine counts it: without the choices whose own
condition fails (kept, ticked, set aside). So a question whose condition names such a choice
hides at once, on the page and in the strip of pages, as SurveyJS and ODK hide it.

`BROWSER_SET_ASIDE`: page 1 holds d (yesno), e (multi e1, e2 offered only when d = yes, e3)
and f (yesno, asked when e has e2); page 2 only g (yesno, asked when f = yes: the page is in
the strip while g is asked); page 3 k (yesno, always asked).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.responses.models import Answer

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Toutes vos réponses sont enregistrées."
REVEALED = "Votre réponse appelle une autre question\u202f: elle s'affiche plus bas."
CONCEALED = "Vu votre réponse, une question ne s'applique plus\u202f: elle est masquée."

BROWSER_SET_ASIDE = """
id: set-aside-browser
version: "1"
title: {fr: Choix mis de côté}
roles:
  - {code: dg, label: {fr: Direction}}
dimensions:
  - {id: p1, label: {fr: Le site}}
  - {id: p2, label: {fr: La suite}}
  - {id: p3, label: {fr: La fin}}
items:
  - {id: d, kind: yesno, dimension: p1, axis: tech, roles: [dg], label: {fr: Question D}}
  - id: e
    kind: multi
    dimension: p1
    axis: tech
    roles: [dg]
    label: {fr: Question E}
    options:
      - {code: e1, label: {fr: Choix E1}}
      - {code: e2, label: {fr: Choix E2}, relevant: {item: d, in: ["yes"]}}
      - {code: e3, label: {fr: Choix E3}}
  - id: f
    kind: yesno
    dimension: p1
    axis: tech
    roles: [dg]
    relevant: {item: e, in: [e2]}
    label: {fr: Question F}
  - id: g
    kind: yesno
    dimension: p2
    axis: transfo
    roles: [dg]
    relevant: {item: f, in: ["yes"]}
    label: {fr: Question G}
  - {id: k, kind: yesno, dimension: p3, axis: transfo, roles: [dg], label: {fr: Question K}}
"""


def stored() -> dict[str, str]:
    return dict(Answer.objects.values_list("field_id", "value"))


def test_a_question_hides_when_the_choice_it_names_is_set_aside(
    live_server, phone, respondent_token
):
    token = respondent_token(BROWSER_SET_ASIDE, "dg", title="Mis de côté")
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    e = page.locator("[data-item='e']")
    e2 = e.locator("input[value='e2']")
    note = e.locator("[data-set-aside]")
    f = page.locator("[data-item='f']")
    page_2 = page.locator(".step-strip li").nth(1)
    status = page.locator("[data-relevance-status]")
    saved = page.locator("[data-save-status]")

    expect(e2).to_be_hidden()  # d unanswered
    expect(f).to_be_hidden()
    expect(page_2).to_be_hidden()

    page.locator("input[name='f:d'][value='yes']").check()
    expect(e2).to_be_visible()
    e2.check()
    expect(f).to_be_visible()
    expect(status).to_have_text(REVEALED)
    f.locator("input[value='yes']").check()
    expect(page_2).to_be_visible()  # g is asked: f = yes
    expect(saved).to_have_text(SAVED)

    # d = no sets e2 aside (kept, ticked, not counted): f, which asks for e2, hides, and g
    # (page 2) with it
    page.locator("input[name='f:d'][value='no']").check()
    expect(e2).to_be_hidden()
    expect(e2).to_be_checked()
    expect(note).to_be_visible()
    expect(f).to_be_hidden()
    expect(status).to_have_text(CONCEALED)
    expect(page_2).to_be_hidden()
    expect(saved).to_have_text(SAVED)
    assert stored() == {"d": "no", "e": "e2", "f": "yes"}

    # d = yes again: e2 counts again, f and page 2 come back
    page.locator("input[name='f:d'][value='yes']").check()
    expect(e2).to_be_visible()
    expect(note).to_be_hidden()
    expect(f).to_be_visible()
    expect(page_2).to_be_visible()
    page.locator("input[name='f:d'][value='no']").check()
    expect(f).to_be_hidden()
    expect(saved).to_have_text(SAVED)

    # the server renders the same from the saved answers
    page.reload()
    expect(e2).to_be_hidden()
    expect(e2).to_be_checked()
    expect(f).to_be_hidden()
    expect(page_2).to_be_hidden()

    # on page 3, the script decides for the questions of other pages from their saved
    # answers: e's saved e2 is set aside (d = no), so f is not asked, nor g: page 2 stays
    # out of the strip, and the list of unanswered questions names e (its one choice set
    # aside) and k, not f
    page.goto(f"{live_server.url}/repondre/{token}/page/3/")
    expect(page.locator("[data-current-step]")).to_be_visible()
    expect(page.locator(".step-strip li").nth(1)).to_be_hidden()
    expect(page.locator("[data-unanswered-item='e']")).to_be_visible()
    expect(page.locator("[data-unanswered-item='k']")).to_be_visible()
    expect(page.locator("[data-unanswered-item='f']")).to_have_count(0)
    assert stored() == {"d": "no", "e": "e2", "f": "yes"}
