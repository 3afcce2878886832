"""Conditional questions in the respondent's pages: hidden by the server from the saved
answers, shown as they are met, answers kept but not counted (progress, unanswered list,
the wave's responses)."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.selectors import wave_responses
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.responses.models import Answer
from tests.scoring.test_conditional_items import CONDITIONAL
from tests.web.conftest import FRAME, _link

pytestmark = pytest.mark.django_db

# Pages (one per dimension, in the dimensions' order):
#   1 (d1): has_site, site_services (if has_site = yes; crm_link if tools has crm),
#           site_audit (if site_services has payment)
#   2 (d2): tools, governance, gov_review (if governance = partial or tools has erp),
#           practices r1, r2 (if governance is partial or full and tools has crm or erp)


@pytest.fixture
def conditional_wave(db) -> Wave:
    created = wave_create(
        year=2026, title="Conditions", questionnaire_yaml=CONDITIONAL, frame_csv=FRAME
    )
    return wave_transition(wave=created, target=Wave.Status.OPEN)


@pytest.fixture
def dina(conditional_wave) -> str:
    return _link(conditional_wave, "ALPHA", "dg", "dina@alpha.example")


def autosave(client, token, field, value, version=0):
    reply = client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": version, "session": "s"},
    )
    return reply.json()


def page(client, token: str, number: int) -> str:
    url = reverse("responses:page", kwargs={"token": token, "number": number})
    return client.get(url).content.decode()


def fieldset(html: str, item: str) -> str:
    """The opening tag of an item's fieldset."""
    found = re.search(rf'<fieldset class="item[^>]*data-item="{item}"[^>]*>', html)
    assert found, item
    return found.group(0)


def option_label(html: str, item: str, code: str) -> str:
    found = re.search(
        rf'<label[^>]*><input type="\w+" name="(?:f|multi):{item}" value="{code}"', html
    )
    assert found, (item, code)
    return found.group(0)


def test_the_server_hides_what_the_saved_answers_do_not_call_for(client, dina):
    html = page(client, dina, 1)
    assert " hidden" not in fieldset(html, "has_site")
    # has_site unanswered: meets no condition
    assert fieldset(html, "site_services").endswith(" hidden>")
    assert fieldset(html, "site_audit").endswith(" hidden>")
    # each carries its condition for the page's script
    condition = re.search(r'data-item="site_services"[^>]*data-relevant="([^"]*)"', html)
    assert condition is not None
    assert json.loads(condition.group(1).replace("&quot;", '"')) == {
        "all": False,
        "clauses": [{"item": "has_site", "in": ["yes"], "ticks": False}],
    }
    # an option whose condition is on another page: hidden from the saved answers
    assert " hidden" in option_label(html, "site_services", "crm_link")
    assert " hidden" not in option_label(html, "site_services", "forms")
    # the answers of the other pages the conditions look at, and the script
    assert 'data-relevance="' in html and "barometre/relevance.js" in html
    assert "data-relevance-status" in html


def test_a_questionnaire_without_conditions_has_no_script(client, alice):
    html = page(client, alice, 1)
    assert (
        "relevance.js" not in html and "data-relevance" not in html and "data-relevant" not in html
    )


def test_an_answer_reveals_the_question_on_reload_and_on_a_later_page(client, dina):
    assert autosave(client, dina, "has_site", "yes")["ok"]
    assert " hidden" not in fieldset(page(client, dina, 1), "site_services")
    # tools on page 2 has crm ticked: the option on page 1 is offered
    assert autosave(client, dina, "tools", "crm")["ok"]
    assert " hidden" not in option_label(page(client, dina, 1), "site_services", "crm_link")
    # page 2: gov_review waits for governance = partial (or erp)
    html = page(client, dina, 2)
    assert fieldset(html, "gov_review").endswith(" hidden>")
    assert autosave(client, dina, "governance", "partial")["ok"]
    html = page(client, dina, 2)
    assert " hidden" not in fieldset(html, "gov_review")
    assert " hidden" not in fieldset(html, "practices")  # partial and crm


def test_progress_counts_only_the_questions_asked(client, dina):
    # dg is asked 8 fields; with nothing answered only has_site, tools and governance are
    # shown (site_services, site_audit, gov_review and the 2 rows of practices are not)
    reply = autosave(client, dina, "has_site", "yes")
    # has_site = yes brings site_services: 4 asked, 1 answered
    assert (reply["answered"], reply["asked"]) == (1, 4)
    reply = autosave(client, dina, "site_services", "payment")
    # payment brings site_audit: 5 asked, 2 answered
    assert (reply["answered"], reply["asked"]) == (2, 5)
    reply = autosave(client, dina, "has_site", "no", version=1)
    # has_site = no hides site_services (its answer kept) and site_audit: 3 asked, 1 answered
    assert (reply["answered"], reply["asked"]) == (1, 3)
    state = client.get(reverse("responses:state", kwargs={"token": dina})).json()
    assert (state["answered"], state["asked"]) == (1, 3)


def test_an_answer_its_condition_hides_is_kept_but_not_counted(client, dina, conditional_wave):
    wave = conditional_wave
    autosave(client, dina, "has_site", "yes")
    autosave(client, dina, "site_services", "forms")
    autosave(client, dina, "has_site", "no", version=1)
    # nothing typed is lost: the answer stays in the database and on the (hidden) question
    assert Answer.objects.get(field_id="site_services").value == "forms"
    html = page(client, dina, 1)
    assert fieldset(html, "site_services").endswith(" hidden>")
    assert 'name="multi:site_services" value="forms" checked' in html
    # the wave's responses (computation, exports, provisional results) leave it out
    responses = wave_responses(wave=wave).set_index("item_id")["answer"]
    assert responses.to_dict() == {"has_site": "no", "site_services": ""}
    # and it comes back if has_site = yes again
    autosave(client, dina, "has_site", "yes", version=2)
    responses = wave_responses(wave=wave).set_index("item_id")["answer"]
    assert responses.to_dict() == {"has_site": "yes", "site_services": "forms"}


def test_the_unanswered_list_leaves_out_the_hidden_questions(client, dina):
    autosave(client, dina, "has_site", "no")
    autosave(client, dina, "tools", "none")
    html = page(client, dina, 2)  # the last page lists what is unanswered
    listed = re.findall(r'data-unanswered-item="([^"]+)"', html)
    assert listed == ["governance"]  # site_services, gov_review, practices are not asked


def test_a_page_posted_without_javascript_is_shown_again_by_the_answers(client, dina):
    url = reverse("responses:page", kwargs={"token": dina, "number": 1})
    reply = client.post(url, {"shown:has_site": "1", "version:has_site": "0", "f:has_site": "yes"})
    assert reply.status_code == 302
    # the next page, then back: site_services is shown since has_site = yes is saved
    assert " hidden" not in fieldset(page(client, dina, 1), "site_services")


def test_the_thank_you_page_lists_only_the_answers_that_count(client, dina):
    """A question the answers no longer call for is not listed after sending (its answer is
    kept, not counted), and the choices of a multiple-choice answer are joined with no
    separator after the last one."""
    from django.utils import timezone

    from barometre.web.responses.models import Respondent

    autosave(client, dina, "tools", "crm|erp")
    autosave(client, dina, "has_site", "yes")
    autosave(client, dina, "site_services", "forms")
    autosave(client, dina, "has_site", "no", version=1)
    Respondent.objects.update(submitted_at=timezone.now())
    thanks = html.unescape(
        client.get(reverse("responses:thanks", kwargs={"token": dina})).content.decode()
    )
    assert "<dt>Un site</dt>" in thanks
    assert "Services du site" not in thanks and "Formulaires" not in thanks
    assert "<dd>GRC\u202f; PGI</dd>" in thanks
