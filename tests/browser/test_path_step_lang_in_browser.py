"""On the English interface, a path item's step written in French only is announced to screen
readers as "Next question:" in English followed by the step's label marked `lang="fr"`, so that
the live region does not mix languages without saying so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_path_items_in_browser import QUESTIONNAIRE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english_phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", device_scale_factor=1
    )
    yield context
    context.close()


@pytest.fixture
def token(respondent_token) -> str:
    return respondent_token(QUESTIONNAIRE, "dg", title="Parcours")


def test_a_french_step_is_announced_marked_french(live_server, english_phone, token):
    page = english_phone.new_page()
    page.goto(f"{live_server.url}/repondre/{token}/page/1/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    box = page.locator("[data-field='branching']")  # French only: A, B, C
    box.locator("input[name='step:branching:a'][value='z']").check()  # z leads to b
    live = box.locator("[data-path-live]")
    expect(live).to_have_text("Next question: B")
    expect(live.locator("span")).to_have_attribute("lang", "fr")
    # a translated step is announced in the page's language, unmarked
    other = page.locator("[data-field='open_data']")
    other.locator("input[name='step:open_data:publish'][value='yes']").check()
    announced = other.locator("[data-path-live] span")
    expect(announced).to_have_text("Are they machine-readable?")
    assert announced.get_attribute("lang") is None
