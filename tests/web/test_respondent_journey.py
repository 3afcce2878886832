"""The respondent's journey through the server: link, pages, autosave, resume, submit."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_revoke, wave_transition
from barometre.web.campaigns.tokens import hash_token
from barometre.web.responses.models import Answer, AnswerChange, Respondent

pytestmark = pytest.mark.django_db


def save(client, token, field, value, version=None):
    """Autosave as the page does: based on the version the page knows (read from the state
    endpoint, as a page just loaded would have it, unless given)."""
    if version is None:
        state = client.get(reverse("responses:state", kwargs={"token": token}))
        version = state.json()["fields"].get(field, ["", 0])[1] if state.status_code == 200 else 0
    return client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": version},
    )


def test_it_opens_the_first_page_without_a_password(client, alice):
    response = client.get(reverse("responses:start", kwargs={"token": alice}), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre organisme" in page  # context first: the perceived-maturity rating
    assert 'name="f:ctx_feel"' in page
    page = client.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    page = page.content.decode()
    assert "Services" in page  # then the first dimension of the tiny questionnaire
    assert 'name="f:a_status.r1"' in page  # a status table answered row by row
    assert "Non applicable" in page and "Je ne sais pas" in page  # the client asks for French
    assert "Données synthétiques" in page


def test_an_english_reader_gets_the_questionnaire_in_english(client_en, alice):
    page = client_en.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    page = page.content.decode()
    assert "Not applicable" in page and "Synthetic data" in page
    assert "Non applicable" not in page


def test_it_saves_each_answer_as_it_is_given(client, alice):
    response = save(client, alice, "a_scale", "3")
    assert response.status_code == 200
    assert response.json()["ok"] is True
    respondent = Respondent.objects.get(link__token_hash=hash_token(alice))
    assert Answer.objects.get(respondent=respondent, field_id="a_scale").value == "3"
    save(client, alice, "a_scale", "4")  # a change replaces the answer
    assert Answer.objects.get(respondent=respondent, field_id="a_scale").value == "4"
    save(client, alice, "a_scale", "")  # clearing empties it; the row keeps its version
    cleared = Answer.objects.get(respondent=respondent, field_id="a_scale")
    assert (cleared.value, cleared.version) == ("", 3)
    # every change is in the log, in order
    log = AnswerChange.objects.filter(respondent=respondent, field_id="a_scale")
    assert list(log.order_by("version").values_list("value", "version")) == [
        ("3", 1),
        ("4", 2),
        ("", 3),
    ]


def test_it_refuses_an_answer_outside_the_options_and_says_why(client, alice):
    response = save(client, alice, "a_scale", "9")
    assert response.status_code == 400
    assert "pas un des choix" in response.json()["error"]
    response = save(client, alice, "b_mail", "-4")
    assert "hors de la plage" in response.json()["error"]
    assert not Answer.objects.exists()


def test_it_refuses_an_item_not_asked_to_the_role(client, bob):
    response = save(client, bob, "a_pct", "40")  # a_pct is asked to numerique and clientele
    assert response.status_code == 400
    assert "ne fait pas partie de votre questionnaire" in response.json()["error"]


def test_progress_counts_answered_fields(client, alice):
    data = save(client, alice, "a_single", "z").json()
    assert data["answered"] == 1
    # numerique is asked a_scale, a_single, a_multi, a_status (2 rows), a_pct, b_mail,
    # b_sponsor, b_plan, ctx_feel, ctx_comment = 11 fields
    assert data["asked"] == 11
    assert save(client, alice, "a_multi", "DK").json()["answered"] == 2  # DK counts


def test_the_page_shows_saved_answers_when_coming_back(client, alice):
    save(client, alice, "a_single", "y")
    save(client, alice, "a_multi", "p|r")
    save(client, alice, "a_status.r2", "piloting")
    save(client, alice, "a_pct", "NA")
    page = client.get(reverse("responses:page", kwargs={"token": alice, "number": 2}))
    html = page.content.decode()
    assert 'name="f:a_single" value="y" checked' in html
    assert 'name="multi:a_multi" value="p" checked' in html
    assert 'name="multi:a_multi" value="r" checked' in html
    assert 'name="multi:a_multi" value="q" checked' not in html
    assert 'name="f:a_status.r2" value="piloting" checked' in html
    assert 'name="special:a_pct" value="NA" checked' in html


def test_the_link_resumes_where_the_respondent_stopped(client, alice):
    for field, value in [
        ("ctx_feel", "6"),
        ("a_scale", "1"),
        ("a_single", "x"),
        ("a_multi", "q"),
        ("a_status.r1", "planned"),
        ("a_status.r2", "planned"),
        ("a_pct", "20"),
    ]:
        save(client, alice, field, value)
    response = client.get(reverse("responses:start", kwargs={"token": alice}))
    assert response.url == reverse("responses:page", kwargs={"token": alice, "number": 3})


def test_the_form_also_works_without_javascript(client, alice):
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    response = client.post(
        url,
        {
            "shown:a_scale": "1",
            "f:a_scale": "2",
            "shown:a_multi": "1",
            "multi:a_multi": ["p", "q"],
            "shown:a_pct": "1",
            "f:a_pct": "35",
            "special:a_pct": "DK",  # DK wins
        },
    )
    assert response.status_code == 302
    answers = dict(Answer.objects.values_list("field_id", "value"))
    assert answers == {"a_scale": "2", "a_multi": "p|q", "a_pct": "DK"}


def test_submit_then_thank_you_page_with_own_answers(client, alice):
    save(client, alice, "a_single", "z")
    save(client, alice, "ctx_comment", "Nos boîtes mail débordent")
    response = client.post(reverse("responses:submit", kwargs={"token": alice}), follow=True)
    html = response.content.decode()
    assert "Merci" in html
    assert "Nos boîtes mail débordent" in html
    # after submission nothing can change
    assert save(client, alice, "a_single", "x").status_code == 400
    assert Answer.objects.get(field_id="a_single").value == "z"


def test_a_respondent_never_sees_another_respondents_answers(client, alice, chloe):
    save(client, alice, "ctx_comment", "Réponse d'Alice")
    page = client.get(reverse("responses:page", kwargs={"token": chloe, "number": 4}))
    assert "Réponse d'Alice" not in page.content.decode()


@pytest.mark.parametrize("problem", ["unknown", "revoked", "expired"])
def test_bad_links_are_refused(client, alice, problem):
    token = alice
    link = AccessLink.objects.get(token_hash=hash_token(alice))
    if problem == "unknown":
        token = alice[:-2] + "xx"
    elif problem == "revoked":
        link_revoke(link=link)
    else:
        link.expires_at = timezone.now() - timedelta(minutes=1)
        link.save()
    response = client.get(reverse("responses:start", kwargs={"token": token}))
    assert response.status_code == 404
    assert save(client, token, "a_scale", "1").status_code == 404
    assert not Answer.objects.exists()


def test_tokens_are_long_random_and_stored_hashed(alice):
    assert len(alice) >= 43  # 32 random bytes in URL-safe base64: 256 bits
    link = AccessLink.objects.get(token_hash=hash_token(alice))
    assert alice not in link.token_hash


def test_a_closed_wave_takes_no_more_answers(client, alice, wave):
    wave_transition(wave=wave, target=Wave.Status.CLOSED)
    response = save(client, alice, "a_scale", "1")
    assert response.status_code == 400
    assert "fermée" in response.json()["error"]


def test_csrf_is_enforced(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("responses:save", kwargs={"token": alice}), {"field": "a_scale", "value": "1"}
    )
    assert response.status_code == 403


def test_without_javascript_a_typed_figure_replaces_an_earlier_dont_know(client, alice):
    save(client, alice, "a_pct", "DK")
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    # the page shows the answer's version (1) and posts it back
    client.post(
        url, {"shown:a_pct": "1", "version:a_pct": "1", "f:a_pct": "42,5", "special:a_pct": ""}
    )
    assert Answer.objects.get(field_id="a_pct").value == "42,5"


def test_without_javascript_the_last_page_is_saved_then_sent(client, alice):
    last = reverse("responses:page", kwargs={"token": alice, "number": 4})
    response = client.post(
        last, {"shown:ctx_comment": "1", "f:ctx_comment": "Dernier mot", "action": "send"}
    )
    assert response.url == reverse("responses:thanks", kwargs={"token": alice})
    assert Answer.objects.get(field_id="ctx_comment").value == "Dernier mot"
    assert Respondent.objects.get().submitted_at is not None


def test_a_refusal_names_the_question(client, alice):
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    html = client.post(url, {"shown:a_pct": "1", "f:a_pct": "cent"}).content.decode()
    assert "Part\u202f: Saisissez un nombre" in html


def test_the_summary_after_sending_writes_a_percentage_as_the_reader_does(client, client_en, alice):
    save(client, alice, "a_pct", "40")
    last = reverse("responses:page", kwargs={"token": alice, "number": 4})
    client.post(last, {"shown:ctx_comment": "1", "f:ctx_comment": "Fin", "action": "send"})
    thanks = reverse("responses:thanks", kwargs={"token": alice})
    # French: a narrow no-break space before "%"; English: "%" glued to the figure
    assert "<dd>40\u202f%</dd>" in html.unescape(client.get(thanks).content.decode())
    assert "<dd>40%</dd>" in html.unescape(client_en.get(thanks).content.decode())
