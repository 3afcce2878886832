"""A page whose questions the answers all hide: left out of the strip of pages and passed by
"Next page" and "Previous page", yet reachable by its address, where it says that nothing on
it applies; the last page (where the answers are sent) is never left out. And, without
JavaScript, an answer that sets aside an earlier choice of its own page shows the page again
at that question, with the note that says so.

`PAGED` is the CONDITIONAL questionnaire (tests/scoring/test_conditional_items.py) with a
third dimension whose only question depends on a conditional question, and an open question:
  page 1 (d1) has_site, site_services, site_audit
  page 2 (d2) tools, governance, gov_review (governance = partial or tools has erp), practices
  page 3 (d3) review_report, shown when gov_review = yes (so never while gov_review is hidden)
  page 4      remarks (open question, optional)
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.responses.models import Respondent
from barometre.web.responses.selectors import PageCompletion, page_completion, respondent_pages
from barometre.web.responses.views import _next_page, _previous_page
from tests.scoring.test_conditional_items import CONDITIONAL
from tests.web.conftest import FRAME, _link
from tests.web.test_conditional_items_web import autosave, page
from tests.web.test_hidden_choices_web import SINGLE

pytestmark = pytest.mark.django_db

PAGED = (
    CONDITIONAL.replace(
        "  - {id: d2, label: {fr: Pilotage}}\n",
        "  - {id: d2, label: {fr: Pilotage}}\n  - {id: d3, label: {fr: Revue annuelle}}\n",
    )
    + """  - id: review_report
    kind: yesno
    dimension: d3
    axis: transfo
    roles: [dg, dsi]
    relevant: {item: gov_review, in: ["yes"]}
    label: {fr: Rapport de revue}
  - {id: remarks, kind: text, roles: [dg, dsi], label: {fr: Remarques}}
"""
)
NOTHING = "Vu vos réponses, aucune question de cette page ne vous concerne."


@pytest.fixture
def dina(db) -> str:
    assert "d3" in PAGED
    wave = wave_create(year=2026, title="Pages", questionnaire_yaml=PAGED, frame_csv=FRAME)
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    return _link(wave, "ALPHA", "dg", "dina@alpha.example")


def url(token: str, number: int) -> str:
    return reverse("responses:page", kwargs={"token": token, "number": number})


def strip(html: str) -> dict[int, str]:
    """Page number -> the opening tag of its entry (`<li ...>`) in the strip of pages."""
    entries = re.findall(r'(<li[^>]*>)<a class="step" href="[^"]*/page/(\d+)/"', html)
    return {int(number): li for li, number in entries}


def previous_link(html: str) -> str:
    found = re.search(r'<a class="button" href="[^"]*"[^>]*data-previous[^>]*>', html)
    assert found
    return found.group(0)


def post(client, token: str, number: int, data: dict[str, str]):
    return client.post(url(token, number), data)


def test_a_page_whose_questions_are_all_hidden_is_left_out_of_the_strip(client, dina):
    entries = strip(page(client, dina, 1))  # the first visit makes the respondent
    respondent = Respondent.objects.get()
    pages = page_completion(respondent, respondent_pages(respondent))
    # nothing answered: gov_review is hidden (governance unanswered, no erp), so review_report
    assert [p.hidden for p in pages] == [False, False, True, False]
    # only page 3 is made of conditional questions only (page 4's remarks has none)
    assert [p.conditional_items for p in pages] == [(), (), ("review_report",), ()]
    assert entries == {
        1: "<li>",
        2: "<li>",
        3: '<li hidden data-step-items="review_report">',
        4: "<li>",  # the last page, where the answers are sent: always listed
    }
    # governance = partial brings gov_review; gov_review = yes brings review_report
    autosave(client, dina, "governance", "partial")
    assert strip(page(client, dina, 1))[3] == '<li hidden data-step-items="review_report">'
    autosave(client, dina, "gov_review", "yes")
    assert strip(page(client, dina, 1))[3] == '<li data-step-items="review_report">'
    # governance = none hides gov_review, and with it review_report: gov_review's "yes" is
    # kept but meets no condition
    autosave(client, dina, "governance", "none", version=1)
    assert strip(page(client, dina, 1))[3] == '<li hidden data-step-items="review_report">'


def test_the_page_script_gets_every_condition_and_the_saved_answers(client, dina):
    autosave(client, dina, "governance", "none")
    autosave(client, dina, "gov_review", "yes")  # saved while hidden: accepted, kept
    html = page(client, dina, 1)
    answers = re.search(r'data-relevance="([^"]*)"', html)
    conditions = re.search(r'data-conditions="([^"]*)"', html)
    assert answers and conditions
    # the condition items' saved answers as stored: the script decides what is shown
    assert json.loads(unescape(answers.group(1))) == {
        "governance": "none",
        "gov_review": "yes",
        "has_site": "",
        "site_services": "",
        "tools": "",
    }
    assert json.loads(unescape(conditions.group(1)))["review_report"] == {
        "all": False,
        "clauses": [{"item": "gov_review", "in": ["yes"], "ticks": False}],
    }
    assert set(json.loads(unescape(conditions.group(1)))) == {
        "site_services",
        "site_audit",
        "gov_review",
        "practices",
        "review_report",
    }


def test_next_and_previous_pass_a_page_with_nothing_to_answer(client, dina):
    # without JavaScript: page 2 posted with governance = none (gov_review stays hidden)
    reply = post(
        client,
        dina,
        2,
        {"shown:governance": "1", "version:governance": "0", "f:governance": "none"},
    )
    assert reply.status_code == 302 and reply["Location"] == url(dina, 4)  # page 3 passed
    html = page(client, dina, 4)
    assert previous_link(html) == f'<a class="button" href="{url(dina, 2)}" data-previous>'
    # governance = partial brings gov_review on page 2: shown again there first
    reply = post(
        client,
        dina,
        2,
        {"shown:governance": "1", "version:governance": "1", "f:governance": "partial"},
    )
    assert reply["Location"] == url(dina, 2) + "#item-gov_review"
    reply = post(
        client, dina, 2, {"shown:gov_review": "1", "version:gov_review": "0", "f:gov_review": "yes"}
    )
    assert reply["Location"] == url(dina, 3)  # page 3 has a question now
    assert previous_link(page(client, dina, 4)).startswith(
        f'<a class="button" href="{url(dina, 3)}"'
    )


def test_a_page_with_nothing_to_answer_is_still_reachable_and_says_so(client, dina):
    html = page(client, dina, 3)
    assert NOTHING in html
    # its own entry in the strip stays, marked as the current page
    assert strip(html)[3] == "<li>"
    assert 'aria-current="step"' in html
    # the question is there, hidden, so that the page's script can bring it back
    assert re.search(r'<fieldset class="item[^>]*data-item="review_report"[^>]*hidden>', html)
    assert NOTHING not in page(client, dina, 2)


def test_the_first_page_with_a_question_has_no_previous_page(client, db):
    # PAGED with d3 first: page 1 is review_report's alone, hidden; page 2 has has_site...
    first = PAGED.replace(
        "  - {id: d1, label: {fr: Site}}\n  - {id: d2, label: {fr: Pilotage}}\n"
        "  - {id: d3, label: {fr: Revue annuelle}}\n",
        "  - {id: d3, label: {fr: Revue annuelle}}\n  - {id: d1, label: {fr: Site}}\n"
        "  - {id: d2, label: {fr: Pilotage}}\n",
    )
    assert first != PAGED
    wave = wave_create(year=2026, title="Pages", questionnaire_yaml=first, frame_csv=FRAME)
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    token = _link(wave, "ALPHA", "dg", "dina@alpha.example")
    html = page(client, token, 2)
    assert strip(html)[1] == '<li hidden data-step-items="review_report">'
    # the link waits, hidden, for the page's script (the page it would lead to is hidden)
    assert previous_link(html) == f'<a class="button" href="{url(token, 1)}" data-previous hidden>'


def test_without_javascript_a_choice_set_aside_shows_the_page_again_with_the_note(client, db):
    # SINGLE: governance's option "delegated" is offered only while tools has erp (page 2)
    wave = wave_create(year=2026, title="Single", questionnaire_yaml=SINGLE, frame_csv=FRAME)
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    token = _link(wave, "ALPHA", "dg", "dina@alpha.example")
    autosave(client, token, "tools", "erp")
    autosave(client, token, "governance", "delegated")
    # page 2 posted with tools = crm: delegated is set aside on this very page
    reply = post(
        client,
        token,
        2,
        {
            "shown:tools": "1",
            "version:tools": "1",
            "multi:tools": "crm",
            "shown:governance": "1",
            "version:governance": "1",
            "f:governance": "delegated",
        },
    )
    assert reply["Location"] == url(token, 2) + "#item-governance"
    html = page(client, token, 2)
    note = re.search(r'<p class="hint set-aside" data-set-aside>.*?</p>', html)
    assert note and "Déléguée" in note.group(0)
    # posted again as it is: nothing newly set aside, on to the last page (page 2 of 2)
    reply = post(
        client,
        token,
        2,
        {
            "shown:tools": "1",
            "version:tools": "2",
            "multi:tools": "crm",
            "shown:governance": "1",
            "version:governance": "1",
            "f:governance": "delegated",
        },
    )
    assert reply["Location"] == url(token, 2)


@given(st.lists(st.booleans(), min_size=1, max_size=8), st.data())
def test_next_and_previous_go_to_the_nearest_page_with_a_question(hidden, data):
    pages = [PageCompletion(n, f"Page {n}", 1, (), hidden=h) for n, h in enumerate(hidden, 1)]
    number = data.draw(st.integers(1, len(pages)))
    target = _next_page(pages, number)
    # after this page (the last one stays the last), passing only pages left out...
    assert target == len(pages) or number < target
    assert all(pages[n - 1].hidden for n in range(number + 1, target))
    # ... and landing on a page with a question, or on the last page
    assert target == len(pages) or not pages[target - 1].hidden
    before = _previous_page(pages, number)
    if before is None:
        assert all(page.hidden for page in pages[: number - 1])
    else:
        assert before < number and not pages[before - 1].hidden
        assert all(pages[n - 1].hidden for n in range(before + 1, number))
