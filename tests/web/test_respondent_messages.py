"""A refused answer is told to the respondent in their language, from the core's own rules
(`AnswerRules`): the field ids and bounds the page shows are those the answers are checked
with, and the messages are the core's translatable templates."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from barometre.errors import Code, Problem
from barometre.scoring.answer_check import FOR_RESPONDENT
from barometre.web.campaigns.models import AccessLink
from barometre.web.campaigns.services import link_for_token
from barometre.web.responses.models import Answer
from barometre.web.responses.selectors import respondent_pages
from barometre.web.responses.services import AnswerRefused, check_answer, respondent_for_link

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = {
    "fr": "Ce nombre est hors de la plage autorisée pour cette question.",
    "en": "This number is outside the range allowed for the question.",
}
UNKNOWN_FIELD = {
    "fr": "Cette question ne fait pas partie de votre questionnaire.",
    "en": "This question is not part of your questionnaire.",
}


def autosave(language: str, token: str, field: str, value: str):
    """The page's autosave, from a browser that asks for `language`."""
    reader = Client(HTTP_ACCEPT_LANGUAGE=language)
    return reader.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": 0},
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("a_pct", "140", OUT_OF_RANGE),  # a percent above 100
        ("a_pct", "-1", OUT_OF_RANGE),  # and below 0
        ("no_such_field", "1", UNKNOWN_FIELD),
        ("a_status", "planned", UNKNOWN_FIELD),  # a status table is answered row by row
    ],
)
def test_a_refused_answer_is_told_in_the_readers_language(alice, language, field, value, expected):
    response = autosave(language, alice, field, value)
    assert response.status_code == 400
    # the JSON the page's autosave reads (autosave.js): ok false and the message in `error`
    assert response.json() == {"ok": False, "error": expected[language]}
    assert not Answer.objects.exists()


def test_french_is_the_language_of_a_browser_that_asks_for_none(alice):
    response = Client().post(
        reverse("responses:save", kwargs={"token": alice}),
        {"field": "a_pct", "value": "101", "version": 0},
    )
    assert response.json()["error"] == OUT_OF_RANGE["fr"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_page_posted_without_javascript_is_refused_in_the_readers_language(alice, language):
    reader = Client(HTTP_ACCEPT_LANGUAGE=language)
    url = reverse("responses:page", kwargs={"token": alice, "number": 2})
    response = reader.post(url, {"f:a_pct": "250", "version:a_pct": "0"})
    assert response.status_code == 200
    assert OUT_OF_RANGE[language] in response.content.decode()
    assert not Answer.objects.exists()


def test_too_long_a_text_is_refused_in_the_readers_language(alice):
    assert autosave("fr", alice, "ctx_comment", "x" * 4001).json()["error"] == (
        "Cette réponse est trop longue\u202f: 4000 caractères au plus."
    )
    assert autosave("en", alice, "ctx_comment", "x" * 4001).json()["error"] == (
        "This answer is too long: at most 4000 characters."
    )


def respondent_of(token: str):
    return respondent_for_link(link_for_token(token, AccessLink.Kind.RESPONDENT))


def test_the_refusal_carries_the_cores_problem(alice):
    with pytest.raises(AnswerRefused) as caught:
        check_answer(respondent_of(alice), "a_pct", "140")
    found = caught.value.problem
    assert isinstance(found, Problem)
    # the engine's rule (out_of_range), told with the message for the person answering
    assert FOR_RESPONDENT[Code.OUT_OF_RANGE] == Code.ANSWER_OUT_OF_RANGE
    assert (found.location, found.code) == ("a_pct", "answer_out_of_range")
    assert found.template == Code.ANSWER_OUT_OF_RANGE.template


def test_the_page_shows_the_field_ids_and_bounds_the_answers_are_checked_with(alice):
    items = {
        item.id: item for page in respondent_pages(respondent_of(alice)) for item in page.items
    }
    assert (items["a_pct"].minimum, items["a_pct"].maximum) == (0, 100)  # a percent's bounds
    assert (items["b_mail"].minimum, items["b_mail"].maximum) == (0, None)  # the item's own
    assert [row.field_id for row in items["a_status"].rows] == ["a_status.r1", "a_status.r2"]
    assert (items["a_status"].minimum, items["a_status"].maximum) == (None, None)


def test_a_field_id_with_spaces_is_stored_as_the_field_it_names(alice):
    assert autosave("fr", alice, " a_scale ", "3").status_code == 200
    assert list(Answer.objects.values_list("field_id", "value")) == [("a_scale", "3")]


def test_every_message_of_the_answer_rules_has_its_french_translation():
    with translation.override("fr"):
        missing = [
            template
            for template in [code.template for code in [*FOR_RESPONDENT.values(), Code.TOO_LONG]]
            if translation.gettext(template) == template
        ]
    assert missing == []
