"""The rules that keep every answer (docs/web.md, "Answer writes"), through the server.

Alice (IT lead of Office Alpha) answers the small questionnaire of tests.helpers; her phone
and her laptop are two clients on the same link, each knowing the versions it last saw.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.web.responses.models import Answer, AnswerChange, Respondent

pytestmark = pytest.mark.django_db


def autosave(client, token, field, value, version, session="phone"):
    return client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": version, "session": session},
    )


def test_a_write_based_on_an_older_version_is_refused_and_says_what_is_stored(client, alice):
    assert autosave(client, alice, "a_single", "y", 0, "laptop").json()["version"] == 1
    response = autosave(client, alice, "a_single", "z", 0, "phone")  # the phone saw nothing
    assert response.status_code == 409
    data = response.json()
    assert (data["conflict"], data["value"], data["version"]) == (True, "y", 1)
    assert "modifiée ailleurs" in data["error"]
    assert Answer.objects.get(field_id="a_single").value == "y"
    # Based on the version it now knows, the phone's change is saved.
    assert autosave(client, alice, "a_single", "z", 1, "phone").json()["version"] == 2


def test_replaying_the_stored_value_is_a_success_that_writes_nothing(client, alice):
    autosave(client, alice, "a_scale", "3", 0)
    replay = autosave(client, alice, "a_scale", "3", 0)  # the first reply was lost
    assert replay.status_code == 200 and replay.json()["version"] == 1
    assert AnswerChange.objects.count() == 1


def test_a_write_without_a_version_is_refused(client, alice):
    response = client.post(
        reverse("responses:save", kwargs={"token": alice}), {"field": "a_scale", "value": "1"}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_stale_page_posted_whole_never_blanks_an_answer(client, alice):
    # The laptop opened page 2 when nothing was answered (every version 0); the phone then
    # answered a_single. The laptop posts its page with a_scale changed only.
    autosave(client, alice, "a_single", "y", 0)
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    response = client.post(
        url,
        {
            "shown:a_scale": "1",
            "version:a_scale": "0",
            "f:a_scale": "2",
            "shown:a_single": "1",
            "version:a_single": "0",
        },
    )
    assert response.status_code == 302
    stored = dict(Answer.objects.values_list("field_id", "value"))
    assert stored == {"a_single": "y", "a_scale": "2"}


def test_a_stale_page_that_changed_an_answer_shows_the_conflict(client, alice):
    autosave(client, alice, "a_single", "y", 0)
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    html = client.post(
        url, {"shown:a_single": "1", "version:a_single": "0", "f:a_single": "z"}
    ).content.decode()
    assert "Choix\u202f: Cette réponse a été modifiée ailleurs" in html
    assert 'name="f:a_single" value="y" checked' in html  # the stored answer is shown
    assert Answer.objects.get(field_id="a_single").value == "y"


def test_the_state_gives_values_and_versions(client, alice):
    autosave(client, alice, "a_pct", "40", 0)
    autosave(client, alice, "a_pct", "", 1)  # cleared: empty, version 2
    autosave(client, alice, "b_mail", "DK", 0)
    state = client.get(reverse("responses:state", kwargs={"token": alice})).json()
    assert state["fields"] == {"a_pct": ["", 2], "b_mail": ["DK", 1]}
    assert (state["answered"], state["asked"]) == (1, 11)
    assert state["csrf"]


def test_progress_follows_answers_cleared_and_given(client, alice):
    assert autosave(client, alice, "a_scale", "1", 0).json()["answered"] == 1
    assert autosave(client, alice, "a_scale", "2", 1).json()["answered"] == 1
    assert autosave(client, alice, "a_scale", "", 2).json()["answered"] == 0
    assert autosave(client, alice, "a_scale", "NA", 3).json()["answered"] == 1
    assert Respondent.objects.get().answered == 1


def test_a_session_id_that_is_not_one_is_not_stored(client, alice):
    autosave(client, alice, "a_scale", "1", 0, session="<script>alert(1)</script>")
    autosave(client, alice, "a_scale", "2", 1, session="tab-3f2a")
    sessions = list(AnswerChange.objects.order_by("version").values_list("session", flat=True))
    assert sessions == ["", "tab-3f2a"]


FIELDS = ["a_scale", "a_single", "a_pct"]
VALUES = {
    "a_scale": ["0", "2", "4", "", "NA"],
    "a_single": ["x", "y", "", "DK"],
    "a_pct": ["10", "55,5", ""],
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["phone", "laptop"]),
            st.sampled_from(FIELDS),
            st.integers(min_value=0, max_value=4),
        ),
        max_size=25,
    )
)
def test_two_devices_writing_at_random_keep_every_answer(client, alice, writes):
    """Invariants, whatever the two devices do: the current answers are the last version of
    each field in the log; versions in the log are 1, 2, 3... per field; a write is applied
    only when it was based on the version stored; nothing is ever deleted."""
    Answer.objects.all().delete()
    AnswerChange.objects.all().delete()
    Respondent.objects.update(answered=0)
    known = {"phone": {}, "laptop": {}}  # the version each device last saw, per field
    applied = 0
    for device, field, pick in writes:
        value = VALUES[field][pick % len(VALUES[field])]
        before = Answer.objects.filter(field_id=field).values_list("value", "version").first()
        reply = autosave(client, alice, field, value, known[device].get(field, 0), device)
        data = reply.json()
        stored_value, stored_version = before or ("", 0)
        if reply.status_code == 200:
            based_on_stored = known[device].get(field, 0) == stored_version
            assert based_on_stored or value == stored_value
            applied += value != stored_value
        else:
            assert reply.status_code == 409 and data["value"] == stored_value
        known[device][field] = data["version"]
    assert AnswerChange.objects.count() == applied
    for field in FIELDS:
        log = list(
            AnswerChange.objects.filter(field_id=field)
            .order_by("version")
            .values_list("version", "value")
        )
        assert [v for v, _value in log] == list(range(1, len(log) + 1))
        current = Answer.objects.filter(field_id=field).values_list("version", "value").first()
        assert current == (log[-1] if log else None)
    given_answers = Answer.objects.exclude(value="").count()
    answered = Respondent.objects.values_list("answered", flat=True).first() or 0
    assert answered == given_answers
