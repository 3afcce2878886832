"""Nothing a respondent gives is lost, in Chromium: two tabs or two devices on one link, the
network gone when "Next page" is pressed, a reload or a closed tab right after typing, the
server killed with `kill -9` during an autosave, the database unavailable. Each test ends with
the database holding every answer given.

The small questionnaire of `tests.helpers.TINY`, answered by Alice (IT lead, `numerique`):
page 1 is the organisation's context, page 2 dimension A (a_scale, a_single, a_multi, a_status
rows, a_pct), page 3 dimension B, page 4 the open question.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from barometre.web.responses.models import Answer, AnswerChange
from tests.served import Server, open_tiny_wave

SAVED = "Toutes vos réponses sont enregistrées."
KEPT = "gardées sur cet appareil"


def stored() -> dict[str, str]:
    return dict(Answer.objects.exclude(value="").values_list("field_id", "value"))


@pytest.fixture
def token(transactional_db) -> str:
    [token] = open_tiny_wave(respondents=1)
    return token


def page_url(base: str, token: str, number: int) -> str:
    return f"{base}/repondre/{token}/page/{number}/"


def test_two_tabs_never_overwrite_each_other(live_server, browser, token):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        a = phone.new_page()
        b = laptop.new_page()
        a.goto(page_url(live_server.url, token, 2))
        b.goto(page_url(live_server.url, token, 2))  # both show page 2 with nothing answered

        # On the phone, Alice picks "y"; on the laptop (opened before), she answers a_scale.
        a.locator("input[name='f:a_single'][value='y']").check()
        expect(a.locator("[data-save-status]")).to_have_text(SAVED)
        b.locator("input[name='f:a_scale'][value='2']").check()
        expect(b.locator("[data-save-status]")).to_have_text(SAVED)

        # "Next page" on the laptop posts the whole page, where a_single is still empty:
        # it must not blank the phone's answer.
        b.get_by_role("button", name="Page suivante").click()
        expect(b).to_have_url(page_url(live_server.url, token, 3))
        assert stored() == {"a_single": "y", "a_scale": "2"}

        # The phone, opened before the laptop's answer, changes a_scale: refused as changed
        # elsewhere; the phone shows the laptop's answer and says so (hence a click: the
        # radio does not stay ticked).
        a.locator("input[name='f:a_scale'][value='4']").click()
        status = a.locator("[data-field='a_scale'] [data-field-status]")
        expect(status).to_contain_text("modifiée ailleurs")
        expect(a.locator("input[name='f:a_scale'][value='2']")).to_be_checked()
        assert stored() == {"a_single": "y", "a_scale": "2"}

        # Changed again on purpose, now that the phone shows the stored answer: saved.
        a.locator("input[name='f:a_scale'][value='4']").check()
        expect(a.locator("[data-save-status]")).to_have_text(SAVED)
        assert stored()["a_scale"] == "4"
        # Every value ever given is in the log, with the tab it came from.
        log = AnswerChange.objects.filter(field_id="a_scale").order_by("version")
        assert list(log.values_list("value", flat=True)) == ["2", "4"]
        assert len(set(log.values_list("session", flat=True))) == 2
    finally:
        phone.close()
        laptop.close()


def test_offline_then_next_page_waits_and_keeps_the_answer(live_server, phone, token):
    page = phone.new_page()
    page.goto(page_url(live_server.url, token, 2))
    phone.set_offline(True)
    page.locator("input[name='f:a_single'][value='z']").check()
    page.get_by_role("button", name="Page suivante").click()
    # The page stays, says the answer is kept on this device, and does not navigate.
    expect(page.locator("[data-save-status]")).to_contain_text(KEPT)
    page.wait_for_timeout(1500)
    expect(page).to_have_url(page_url(live_server.url, token, 2))
    assert stored() == {}
    phone.set_offline(False)
    # Back online: the answer is sent, then the next page opens by itself.
    expect(page).to_have_url(page_url(live_server.url, token, 3), timeout=20000)
    assert stored() == {"a_single": "z"}


def test_a_figure_typed_just_before_a_reload_or_a_closed_tab_is_kept(live_server, phone, token):
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?": yes
    page.goto(page_url(live_server.url, token, 2))
    page.locator("input[name='f:a_pct']").press_sequentially("37")
    page.reload()  # at once: well within the pause after which a typed figure is sent
    expect(page.locator("input[name='f:a_pct']")).to_have_value("37")
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    assert stored() == {"a_pct": "37"}

    # A text typed, then the tab closed at once: the next visit sends it (at once when the
    # closing tab could say it was leaving, else once its outbox has been quiet for 15 s).
    page.goto(page_url(live_server.url, token, 4))
    page.locator("textarea[name='f:ctx_comment']").press_sequentially("Boîtes saturées")
    page.close(run_before_unload=False)
    again = phone.new_page()
    again.goto(page_url(live_server.url, token, 1))
    expect(again.locator("[data-save-status]")).to_have_text(SAVED)
    again.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('barometre.outbox.'))",
        timeout=30000,
    )
    assert stored() == {"a_pct": "37", "ctx_comment": "Boîtes saturées"}


def test_a_reply_lost_after_the_save_then_more_typing_keeps_the_last_figure(
    live_server, phone, token
):
    """The server saves a figure but its reply never arrives (a proxy, a network switch);
    the respondent goes on typing: the figure kept is the last one typed, with no false
    "changed elsewhere"."""
    page = phone.new_page()
    page.goto(page_url(live_server.url, token, 2))
    lost = []

    def lose_the_first_reply(route):
        if lost:
            route.continue_()
        else:
            route.fetch()  # reaches the server, which saves it
            lost.append(route)
            route.abort()  # but the page never hears back

    page.route(re.compile(r".*/reponse/$"), lose_the_first_reply)
    figure = page.locator("input[name='f:a_pct']")
    figure.fill("1")
    figure.blur()
    page.wait_for_timeout(500)
    assert lost and stored() == {"a_pct": "1"}
    figure.fill("12")
    figure.blur()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED, timeout=20000)
    assert stored() == {"a_pct": "12"}
    expect(page.locator("[data-field='a_pct'] [data-field-status]")).not_to_contain_text("ailleurs")


def test_answers_left_unsent_in_two_closed_tabs_are_all_sent_later(live_server, phone, token):
    a = phone.new_page()
    b = phone.new_page()
    a.goto(page_url(live_server.url, token, 2))
    b.goto(page_url(live_server.url, token, 3))
    phone.set_offline(True)
    a.locator("input[name='f:a_single'][value='y']").check()
    b.locator("input[name='f:b_sponsor'][value='yes']").check()
    a.close(run_before_unload=False)
    b.close(run_before_unload=False)
    phone.set_offline(False)
    later = phone.new_page()
    later.wait_for_timeout(16000)  # the closed tabs' outboxes are adopted once quiet 15 s
    later.goto(page_url(live_server.url, token, 1))
    expect(later.locator("[data-save-status]")).to_have_text(SAVED, timeout=20000)
    assert stored() == {"a_single": "y", "b_sponsor": "yes"}


@pytest.fixture
def server(tmp_path):
    served = Server(tmp_path)
    served.prepare()
    served.start()
    yield served
    served.stop()


def test_the_server_killed_during_an_autosave_loses_nothing(server, phone):
    page = phone.new_page()
    page.goto(page_url(server.url, server.token, 2))
    page.locator("input[name='f:a_single'][value='y']").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)

    # The next autosave is held on its way; the server is killed meanwhile, then let go.
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r".*/reponse/$"), hold_the_first)
    page.locator("input[name='f:a_scale'][value='3']").check()
    page.wait_for_timeout(300)
    assert held, "the autosave did not leave the page"
    server.kill9()
    held[0].continue_()
    expect(page.locator("[data-save-status]")).to_contain_text("Pas encore enregistré")
    page.locator("input[name='f:a_pct']").fill("55")
    page.locator("input[name='f:a_pct']").blur()

    server.start()  # restarted: the outbox is replayed, in order
    expect(page.locator("[data-save-status]")).to_have_text(SAVED, timeout=30000)
    assert server.answers() == {"a_single": "y", "a_scale": "3", "a_pct": "55"}


def test_the_database_unavailable_gives_a_clear_page_and_loses_nothing(server, phone):
    page = phone.new_page()
    page.goto(page_url(server.url, server.token, 2))
    away = server.take_database_away()
    page.locator("input[name='f:a_single'][value='x']").check()
    expect(page.locator("[data-save-status]")).to_contain_text("indisponible")

    # A page opened meanwhile is a clear French page, not a traceback.
    other = phone.new_page()
    response = other.goto(page_url(server.url, server.token, 3))
    assert response.status == 503
    expect(other.locator("h1")).to_have_text("Le service est momentanément indisponible")
    other.close()

    server.give_database_back(away)
    expect(page.locator("[data-save-status]")).to_have_text(SAVED, timeout=30000)
    assert server.answers() == {"a_single": "x"}
