"""Path items in the respondent's pages: every step in the HTML, the path stored as one answer
(autosave and a page posted without JavaScript alike)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.responses.models import Answer
from tests.scoring.test_path_items import PATH_QUESTIONNAIRE
from tests.web.conftest import FRAME, _link

pytestmark = pytest.mark.django_db

#: open_data (dg, dsi) and branching (dg), both in dimension d1: one page.
QUESTIONNAIRE = PATH_QUESTIONNAIRE[: PATH_QUESTIONNAIRE.index("  - id: notes")]


@pytest.fixture
def dina(db) -> str:
    wave = wave_create(
        year=2026, title="Parcours", questionnaire_yaml=QUESTIONNAIRE, frame_csv=FRAME
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    return _link(wave, "ALPHA", "dg", "dina@alpha.example")


def autosave(client, token, field, value, version):
    return client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": version, "session": "s"},
    )


def page_url(token: str) -> str:
    return reverse("responses:page", kwargs={"token": token, "number": 1})


def stored() -> dict[str, str]:
    return dict(Answer.objects.values_list("field_id", "value"))


def test_every_step_is_in_the_page_with_where_each_answer_leads(client, dina):
    html = client.get(page_url(dina)).content.decode()
    assert 'data-field="open_data"' in html and "data-path" in html
    # each step is a fieldset with its legend, all shown (JavaScript hides those not reached)
    for step in ("publish", "machine", "automatic"):
        assert f'data-step="{step}"' in html
        assert f'name="step:open_data:{step}"' in html
    assert not re.search(r'data-step="machine"[^>]*hidden', html)
    assert "<legend>Publiez-vous des données ouvertes ?</legend>" in html
    assert 'value="yes" data-next="machine"' in html  # publish: yes leads on to machine
    assert 'value="no">' in html  # an ending answer has no data-next
    assert "data-path-note" in html  # the note for a page without JavaScript
    assert 'name="special:open_data" value="NA"' in html


def test_a_page_posted_without_javascript_keeps_only_the_steps_the_answers_lead_to(client, dina):
    response = client.post(
        page_url(dina),
        {
            "shown:open_data": "1",
            "version:open_data": "0",
            # "no" ends the path at publish: the answer given to machine is dropped
            "step:open_data:publish": "no",
            "step:open_data:machine": "yes",
            "shown:branching": "1",
            "version:branching": "0",
            # a: y jumps to c; the answer to b is not on the path
            "step:branching:a": "y",
            "step:branching:b": "p",
            "step:branching:c": "s",
        },
    )
    assert response.status_code == 302
    assert stored() == {"open_data": "no", "branching": "y|s"}


def test_not_applicable_wins_over_the_steps(client, dina):
    client.post(
        page_url(dina),
        {
            "shown:open_data": "1",
            "version:open_data": "0",
            "step:open_data:publish": "yes",
            "special:open_data": "NA",
        },
    )
    assert stored()["open_data"] == "NA"


def test_autosave_stores_the_path_step_by_step_and_the_page_shows_it(client, dina):
    assert autosave(client, dina, "open_data", "yes", 0).json()["ok"]  # incomplete: kept
    assert autosave(client, dina, "open_data", "yes|yes", 1).json()["ok"]
    html = client.get(page_url(dina)).content.decode()
    assert 'name="step:open_data:publish" value="yes" data-next="machine" checked' in html
    assert 'name="step:open_data:machine" value="yes" data-next="automatic" checked' in html
    assert 'name="step:open_data:automatic" value="yes" checked' not in html
    assert autosave(client, dina, "open_data", "yes|yes|no", 2).json()["ok"]
    assert stored()["open_data"] == "yes|yes|no"


def test_autosave_refuses_an_answer_after_the_end_with_a_message_for_the_respondent(client, dina):
    reply = autosave(client, dina, "open_data", "no|yes", 0)
    assert reply.status_code == 400 or not reply.json()["ok"]
    assert "après un choix qui termine ces questions" in reply.json()["error"]
    reply = autosave(client, dina, "open_data", "yes|maybe", 0)
    assert not reply.json()["ok"]
    assert "open_data" not in stored()


def test_a_path_stopped_before_its_end_is_still_unanswered(client, dina):
    autosave(client, dina, "open_data", "yes", 0)  # machine still to answer
    autosave(client, dina, "branching", "x", 0)  # x ends the path
    html = client.get(page_url(dina)).content.decode()
    assert 'data-unanswered-item="open_data"' in html
    assert 'data-unanswered-item="branching"' not in html
    autosave(client, dina, "open_data", "yes|no", 1)
    html = client.get(page_url(dina)).content.decode()
    assert "data-unanswered-item" not in html


def test_the_method_page_says_how_a_path_is_scored():
    from django.utils import translation

    from barometre.web.public.method import scoring_rule
    from tests.scoring.test_path_items import QUESTIONNAIRE as Q

    with translation.override("en"):
        rule = scoring_rule(Q.item("open_data"), Q, "en")
    assert rule == (
        "The score of the answer that ends the questions: Do you publish open data? — No = 0; "
        "Are they machine-readable? — No = 30; Updated automatically? — No = 60; "
        "Updated automatically? — Yes = 100."
    )
