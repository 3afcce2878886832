"""Which pages are complete and which questions are left, computed by the server.

Alice (`numerique`) answers the tiny questionnaire: page 1 ctx_feel; page 2 a_scale, a_single,
a_multi, a_status (rows r1, r2), a_pct; page 3 b_mail, b_sponsor, b_plan; page 4 the open
question ctx_comment, which may stay blank."""

from __future__ import annotations

import pytest
from django.urls import reverse

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_transition
from barometre.web.responses.models import Respondent
from barometre.web.responses.selectors import (
    page_completion,
    respondent_pages,
    unanswered_questions,
)
from tests.web.test_respondent_journey import save

pytestmark = pytest.mark.django_db


def completions():
    respondent = Respondent.objects.get()
    return page_completion(respondent, respondent_pages(respondent))


def test_a_page_is_complete_when_each_of_its_questions_has_an_answer(client, alice):
    for field, value in [
        ("ctx_feel", "6"),
        ("a_status.r1", "planned"),  # one row of two: the table is not answered yet
        ("b_mail", "12"),
        ("b_sponsor", "DK"),  # DK and NA are answers
        ("b_plan", "NA"),
    ]:
        assert save(client, alice, field, value).status_code == 200
    pages = completions()
    assert [p.state for p in pages] == ["complete", "incomplete", "complete", "optional"]
    assert [p.required for p in pages] == [1, 5, 3, 0]
    assert [q.item_id for q in unanswered_questions(pages)] == [
        "a_scale",
        "a_single",
        "a_multi",
        "a_status",
        "a_pct",
    ]
    # a cleared answer is no answer
    save(client, alice, "b_mail", "")
    assert completions()[2].state == "incomplete"


def test_the_last_page_lists_the_questions_left_with_their_anchors(client, alice):
    save(client, alice, "ctx_feel", "6")
    save(client, alice, "b_sponsor", "yes")
    html = client.get(reverse("responses:page", kwargs={"token": alice, "number": 4}))
    html = html.content.decode()
    page2 = reverse("responses:page", kwargs={"token": alice, "number": 2})
    page3 = reverse("responses:page", kwargs={"token": alice, "number": 3})
    for anchor in ["a_scale", "a_single", "a_multi", "a_status", "a_pct"]:
        assert f'href="{page2}#item-{anchor}"' in html
    assert f'href="{page3}#item-b_mail"' in html and f'href="{page3}#item-b_plan"' in html
    assert "#item-b_sponsor" not in html and "#item-ctx_feel" not in html
    assert "7 questions n&#x27;ont pas encore de réponse" in html  # escaped apostrophe
    # the strip: page 1 complete, 3 not, 4 (the current one) of optional questions only
    assert 'data-state="optional" aria-current="step"' in html
    assert "Page 1, complète\u202f: Votre organisme" in html
    assert "Page 3, incomplète" in html
    assert "Page 4 sur 4" in html


def test_the_progress_says_one_question_in_the_singular(client, alice):
    reply = save(client, alice, "a_scale", "1").json()
    assert reply["progress"] == "1 question sur 11 a une réponse"
    assert save(client, alice, "a_single", "x").json()["progress"] == (
        "2 questions sur 11 ont une réponse"
    )


def test_nothing_is_ticked_on_a_fresh_page(client, alice):
    html = client.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    assert " checked" not in html.content.decode()
    save(client, alice, "a_pct", "35")
    html = client.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    assert 'name="special:a_pct" value="" checked' in html.content.decode()


def test_the_save_reply_says_the_wave_closed(client, alice, wave):
    wave_transition(wave=wave, target=Wave.Status.CLOSED)
    reply = save(client, alice, "a_scale", "1")
    assert reply.status_code == 400
    assert reply.json() == {"ok": False, "closed": True, "error": "Cette enquête est fermée."}
    html = client.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    assert "Cette enquête est close" in html.content.decode()  # told on a page opened after
