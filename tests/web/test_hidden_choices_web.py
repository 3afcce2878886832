"""A choice its conditions now hide (conditional options): the answer keeps it (nothing typed
is lost) but an answer made only of such choices is unanswered, as the engine scores it
(progress, the pages' completeness, the last page's list), and the question says so.
Without JavaScript, a question an answer reveals on the same page is shown before going on.

Uses the CONDITIONAL questionnaire (tests/scoring/test_conditional_items.py): page 1 has
has_site, site_services (if has_site = yes; its option crm_link if tools has crm),
site_audit (if site_services has payment); page 2 tools, governance, gov_review (if
governance = partial or tools has erp), practices (governance partial/full and tools crm/erp).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.selectors import wave_responses
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.responses.models import Answer
from tests.scoring.test_conditional_items import CONDITIONAL
from tests.web.conftest import FRAME, _link
from tests.web.test_conditional_items_web import autosave, fieldset, option_label, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def conditional_wave(db) -> Wave:
    created = wave_create(
        year=2026, title="Conditions", questionnaire_yaml=CONDITIONAL, frame_csv=FRAME
    )
    return wave_transition(wave=created, target=Wave.Status.OPEN)


@pytest.fixture
def dina(conditional_wave) -> str:
    return _link(conditional_wave, "ALPHA", "dg", "dina@alpha.example")


def _state(client, token):
    return client.get(reverse("responses:state", kwargs={"token": token})).json()


def _unanswered(html: str) -> list[str]:
    return re.findall(r'data-unanswered-item="([^"]+)"', html)


def _set_aside(html: str, item: str) -> str:
    """The note of the item's fieldset about choices set aside."""
    start = html.index(f'data-item="{item}"')
    end = html.index("</fieldset>", start)
    found = re.search(r'<p class="hint set-aside" data-set-aside[^>]*>.*?</p>', html[start:end])
    assert found, item
    return found.group(0)


def test_a_multi_answer_made_only_of_hidden_choices_is_unanswered(client, dina, conditional_wave):
    assert autosave(client, dina, "tools", "crm")["ok"]
    assert autosave(client, dina, "has_site", "yes")["ok"]
    reply = autosave(client, dina, "site_services", "crm_link")
    # tools, has_site, site_services, governance asked; the first three answered
    assert (reply["answered"], reply["asked"]) == (3, 4)
    reply = autosave(client, dina, "tools", "erp", version=1)
    # tools = erp hides crm_link and brings gov_review: tools, has_site, site_services,
    # governance, gov_review asked (5); site_services' only choice is hidden: 2 answered
    assert (reply["answered"], reply["asked"]) == (2, 5)
    assert (_state(client, dina)["answered"], _state(client, dina)["asked"]) == (2, 5)
    # the last page lists it with the others still unanswered
    assert _unanswered(page(client, dina, 2)) == ["site_services", "governance", "gov_review"]
    # kept in the database and on the page (ticked, hidden), and the question says so
    assert Answer.objects.get(field_id="site_services").value == "crm_link"
    html = page(client, dina, 1)
    assert " hidden" in option_label(html, "site_services", "crm_link")
    note = _set_aside(html, "site_services")
    assert " hidden>" not in note.split(">", 1)[0] + ">"
    assert "Lien GRC" in note
    # as the engine scores it: missing
    responses = wave_responses(wave=conditional_wave).set_index("item_id")["answer"]
    assert responses["site_services"] == ""
    # crm again: the choice is shown and counted again, the note hidden
    reply = autosave(client, dina, "tools", "crm", version=2)
    # tools, has_site, site_services, governance asked (gov_review hidden again): 3 answered
    assert (reply["answered"], reply["asked"]) == (3, 4)
    note = _set_aside(page(client, dina, 1), "site_services")
    assert note.startswith('<p class="hint set-aside" data-set-aside hidden>')


def test_a_multi_answer_keeping_a_shown_choice_stays_answered(client, dina):
    autosave(client, dina, "tools", "crm")
    autosave(client, dina, "has_site", "yes")
    autosave(client, dina, "site_services", "forms|crm_link")
    reply = autosave(client, dina, "tools", "erp", version=1)
    # site_services keeps forms: answered; tools, has_site, site_services of 5 asked
    assert (reply["answered"], reply["asked"]) == (3, 5)
    assert _unanswered(page(client, dina, 2)) == ["governance", "gov_review"]
    assert "Lien GRC" in _set_aside(page(client, dina, 1), "site_services")


#: governance gets an option offered only when tools has erp (a single item).
SINGLE = CONDITIONAL.replace(
    "      - {code: full, label: {fr: Complète}, score: 100}\n",
    "      - {code: full, label: {fr: Complète}, score: 100}\n"
    "      - {code: delegated, label: {fr: Déléguée}, score: 75,\n"
    "         relevant: {item: tools, in: [erp]}}\n",
)


@pytest.fixture
def single_wave(db) -> Wave:
    assert SINGLE != CONDITIONAL
    created = wave_create(year=2026, title="Single", questionnaire_yaml=SINGLE, frame_csv=FRAME)
    return wave_transition(wave=created, target=Wave.Status.OPEN)


def test_a_single_answer_whose_choice_is_hidden_is_unanswered(client, single_wave):
    token = _link(single_wave, "ALPHA", "dg", "dina@alpha.example")
    autosave(client, token, "tools", "erp")
    reply = autosave(client, token, "governance", "delegated")
    # tools, has_site, governance, gov_review (tools has erp) asked; 2 answered
    assert (reply["answered"], reply["asked"]) == (2, 4)
    reply = autosave(client, token, "tools", "crm", version=1)
    # delegated hidden; gov_review hidden (governance not partial, no erp): tools, has_site,
    # governance asked, only tools answered
    assert (reply["answered"], reply["asked"]) == (1, 3)
    html = page(client, token, 2)
    assert _unanswered(html) == ["has_site", "governance"]
    assert 'value="delegated" checked' in html  # kept, ticked on its hidden label
    assert "Déléguée" in _set_aside(html, "governance")
    responses = wave_responses(wave=single_wave).set_index("item_id")["answer"]
    assert responses["governance"] == ""


# --- without JavaScript ---------------------------------------------------------------------


def _post(client, token, number, data):
    url = reverse("responses:page", kwargs={"token": token, "number": number})
    return client.post(url, data)


def test_without_javascript_a_question_revealed_on_the_same_page_is_shown(client, dina):
    reply = _post(
        client,
        dina,
        1,
        {"shown:has_site": "1", "version:has_site": "0", "f:has_site": "yes"},
    )
    # has_site = yes brings site_services on this page: the page again, at that question
    assert reply.status_code == 302
    page_1 = reverse("responses:page", kwargs={"token": dina, "number": 1})
    assert reply["Location"] == page_1 + "#item-site_services"
    assert " hidden" not in fieldset(page(client, dina, 1), "site_services")
    # posted again with site_services answered (payment brings site_audit: again)
    reply = _post(
        client,
        dina,
        1,
        {
            "shown:has_site": "1",
            "version:has_site": "1",
            "f:has_site": "yes",
            "shown:site_services": "1",
            "version:site_services": "0",
            "multi:site_services": "forms",
        },
    )
    # nothing newly shown: on to page 2
    assert reply["Location"] == reverse("responses:page", kwargs={"token": dina, "number": 2})


def test_without_javascript_an_answer_hiding_a_question_goes_on(client, dina):
    autosave(client, dina, "has_site", "yes")
    reply = _post(
        client, dina, 1, {"shown:has_site": "1", "version:has_site": "1", "f:has_site": "no"}
    )
    assert reply["Location"] == reverse("responses:page", kwargs={"token": dina, "number": 2})


def test_without_javascript_the_last_page_is_shown_again_too(client, dina):
    # tools = erp (page 2) reveals gov_review on page 2 itself: shown again
    reply = _post(client, dina, 2, {"shown:tools": "1", "version:tools": "0", "multi:tools": "erp"})
    assert reply["Location"] == (
        reverse("responses:page", kwargs={"token": dina, "number": 2}) + "#item-gov_review"
    )
