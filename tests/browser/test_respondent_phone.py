"""The respondent on a phone (390 × 844): the first question in the first screen, nothing
ticked before the respondent chooses, a compact strip of pages that says which are complete,
the last page listing the questions left, and a wave closed mid-answer told at once.

The tiny questionnaire (`tests.helpers.TINY`), answered by Alice (`numerique`): page 1 the
context (ctx_feel), page 2 dimension A, page 3 dimension B (b_mail, b_sponsor, b_plan), page 4
the open question."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from barometre.questionnaire import builtin_path
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from tests.served import open_tiny_wave

pytestmark = pytest.mark.django_db(transaction=True)

HEIGHT = 844
SAVED = "Toutes vos réponses sont enregistrées."


@pytest.fixture
def token(transactional_db) -> str:
    [token] = open_tiny_wave(respondents=1)
    return token


def url(base: str, token: str, number: int) -> str:
    return f"{base}/repondre/{token}/page/{number}/"


def test_the_first_question_is_in_the_first_screen(live_server, phone):
    frame = "organisation_id,name,organisation_type,dwellings,department\nS1,Office,OPH,9000,59\n"
    wave = wave_create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=builtin_path("hlm-2026").read_text(encoding="utf-8"),
        frame_csv=frame,
    )
    wave_transition(wave=wave, target=Wave.Status.OPEN)
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(),
        kind=AccessLink.Kind.RESPONDENT,
        role="direction",
        email="dg@example.org",
    )
    page = phone.new_page()
    for number in (1, 2, 3):
        page.goto(url(live_server.url, token, number))
        first = page.locator("fieldset.item").first
        question = first.locator("legend").first.bounding_box()
        choice = first.locator("label").first.bounding_box()
        assert question and choice
        assert question["y"] >= 0 and question["y"] + question["height"] <= HEIGHT, number
        assert choice["y"] + choice["height"] <= HEIGHT, number
        # the strip of pages is one compact row, not half of the screen
        strip = page.locator(".step-strip").bounding_box()
        assert strip and strip["height"] < 80


def test_nothing_is_ticked_before_the_respondent_chooses(live_server, phone, token):
    page = phone.new_page()
    for number in (1, 2, 3, 4):
        page.goto(url(live_server.url, token, number))
        expect(page.locator("[data-save-status]")).to_have_text(SAVED)
        assert page.locator("form input:checked").count() == 0, number
    # a figure typed ticks "My answer above"; taken back, nothing is ticked again
    page.goto(url(live_server.url, token, 2))
    figure = page.locator("input[name='f:a_pct']")
    figure.fill("30")
    figure.blur()
    expect(page.locator("input[name='special:a_pct'][value='']")).to_be_checked()
    figure.fill("")
    figure.blur()
    expect(page.locator("input[name='special:a_pct'][value='']")).not_to_be_checked()


def test_the_strip_shows_a_page_completed(live_server, phone, token):
    page = phone.new_page()
    page.goto(url(live_server.url, token, 3))
    current = page.locator(".step[aria-current=step]")
    expect(current).to_have_attribute("data-state", "incomplete")
    expect(current).to_contain_text("Page 3, incomplète")
    page.locator("input[name='f:b_mail']").fill("12")
    page.locator("input[name='f:b_mail']").blur()
    page.locator("input[name='f:b_sponsor'][value='yes']").check()
    page.locator("input[name='f:b_plan'][value='NA']").check()  # NA is an answer
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(current).to_have_attribute("data-state", "complete")
    expect(current).to_contain_text("Page 3, complète")
    # the server says so too, on any page
    page.goto(url(live_server.url, token, 1))
    step3 = page.locator(".step-strip li").nth(2).locator("a")
    expect(step3).to_have_attribute("data-state", "complete")
    expect(page.locator(".step-strip li").nth(1).locator("a")).to_have_attribute(
        "data-state", "incomplete"
    )


def test_the_last_page_lists_the_questions_left_with_working_links(live_server, phone, token):
    page = phone.new_page()
    page.goto(url(live_server.url, token, 3))
    page.locator("input[name='f:b_sponsor'][value='no']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    page.goto(url(live_server.url, token, 4))
    listed = page.locator("[data-unanswered] li a")
    # page 1: ctx_feel; page 2: the five questions of A; page 3: b_mail and b_plan
    expect(listed).to_have_text(
        [
            "Maturité perçue",
            "Échelle",
            "Choix",
            "Cases",
            "Tableau",
            "Part",
            "Courriels par jour",
            "Plan",
        ]
    )
    expect(page.locator("[data-unanswered] p")).to_have_text(
        "8 questions n'ont pas encore de réponse\u202f:"
    )
    listed.nth(4).click()  # "Tableau", on page 2
    expect(page).to_have_url(re.compile(r"/page/2/#item-a_status$"))
    expect(page.locator("#item-a_status")).to_be_in_viewport()


def test_a_wave_closed_mid_answer_is_told_at_once(live_server, phone, token):
    page = phone.new_page()
    page.goto(url(live_server.url, token, 2))
    page.locator("input[name='f:a_single'][value='y']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    expect(page.locator("[data-closed-alert]")).to_be_hidden()
    wave_transition(wave=Wave.objects.get(), target=Wave.Status.CLOSED)
    page.locator("input[name='f:a_scale'][value='3']").check()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Cette enquête est close")
    expect(page).to_have_url(url(live_server.url, token, 2))
    # the answer not saved stays on this device
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('barometre.outbox.'))"
        ".map(k => localStorage.getItem(k)).join('')"
    )
    assert '"field":"a_scale"' in kept and '"value":"3"' in kept
