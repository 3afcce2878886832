"""A path item in the browser: the next question appears only once the answers lead to it,
changing an earlier answer hides (and drops) the later ones, and the stored answer, after a
reload, is the path. Without JavaScript every step is shown with a note."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from barometre.web.responses.models import Answer
from tests.scoring.test_path_items import PATH_QUESTIONNAIRE

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Toutes vos réponses sont enregistrées."
#: open_data and branching, in dimension d1: one page.
QUESTIONNAIRE = PATH_QUESTIONNAIRE[: PATH_QUESTIONNAIRE.index("  - id: notes")]


@pytest.fixture
def token(respondent_token) -> str:
    """The link of a respondent in role dg to a wave on `QUESTIONNAIRE`."""
    return respondent_token(QUESTIONNAIRE, "dg", title="Parcours")


def stored(field: str) -> str:
    return dict(Answer.objects.values_list("field_id", "value")).get(field, "")


def test_steps_appear_when_reached_and_vanish_when_an_earlier_answer_ends_the_path(
    live_server, phone, token
):
    page = phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    box = page.locator("[data-field='open_data']")
    publish, machine, automatic = (
        box.locator(f"[data-step='{s}']") for s in ("publish", "machine", "automatic")
    )

    def radio(step: str, code: str):
        return box.locator(f"input[name='step:open_data:{step}'][value='{code}']")

    # Only the first question shows; the note for a page without JavaScript is hidden.
    expect(publish).to_be_visible()
    expect(machine).to_be_hidden()
    expect(automatic).to_be_hidden()
    expect(box.locator("[data-path-note]")).to_be_hidden()

    radio("publish", "yes").check()
    expect(machine).to_be_visible()
    expect(automatic).to_be_hidden()
    # told to a screen reader; the focus stays on the answer just given
    expect(box.locator("[data-path-live]")).to_have_text(
        "Question suivante\u202f: Sont-elles lisibles par machine ?"
    )
    expect(radio("publish", "yes")).to_be_focused()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored("open_data") == "yes"  # an incomplete path is kept as it goes
    # ... but the question is still waiting for an answer on the page's list
    expect(page.locator("[data-unanswered-item='open_data']")).to_be_visible()

    radio("machine", "yes").check()
    expect(automatic).to_be_visible()
    radio("automatic", "no").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored("open_data") == "yes|yes|no"
    expect(page.locator("[data-unanswered-item='open_data']")).to_be_hidden()

    # "no" to the first question ends the path: the later questions go, with their answers.
    radio("publish", "no").check()
    expect(machine).to_be_hidden()
    expect(automatic).to_be_hidden()
    expect(radio("machine", "yes")).not_to_be_checked()
    expect(radio("automatic", "no")).not_to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored("open_data") == "no"

    # A branching path: a: y leads straight to c.
    branching = page.locator("[data-field='branching']")
    branching.locator("input[name='step:branching:a'][value='y']").check()
    expect(branching.locator("[data-step='b']")).to_be_hidden()
    expect(branching.locator("[data-step='c']")).to_be_visible()
    branching.locator("input[name='step:branching:c'][value='s']").check()

    radio("publish", "yes").check()
    radio("machine", "no").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored("open_data") == "yes|no"
    assert stored("branching") == "y|s"

    # After a reload the page shows the stored path, and only its steps.
    page.reload()
    expect(radio("publish", "yes")).to_be_checked()
    expect(radio("machine", "no")).to_be_checked()
    expect(machine).to_be_visible()
    expect(automatic).to_be_hidden()
    expect(branching.locator("[data-step='b']")).to_be_hidden()
    expect(branching.locator("input[name='step:branching:c'][value='s']")).to_be_checked()

    # "Not applicable" replaces the path: only the first question stays, unanswered.
    box.locator("input[name='special:open_data'][value='NA']").check()
    expect(machine).to_be_hidden()
    expect(radio("publish", "yes")).not_to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored("open_data") == "NA"


def test_without_javascript_every_step_shows_and_the_server_keeps_the_path(
    live_server, browser, token
):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/repondre/{token}/page/1/")
        box = page.locator("[data-field='open_data']")
        expect(box.locator("[data-path-note]")).to_be_visible()
        for step in ("publish", "machine", "automatic"):
            expect(box.locator(f"[data-step='{step}']")).to_be_visible()
        box.locator("input[name='step:open_data:publish'][value='no']").check()
        box.locator("input[name='step:open_data:machine'][value='yes']").check()  # not reached
        page.get_by_role("button", name="Enregistrer cette page").click()
        assert stored("open_data") == "no"
    finally:
        context.close()
