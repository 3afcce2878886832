"""Writes of the respondent's journey: each answer is saved as soon as it is given."""

from __future__ import annotations

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from barometre.errors import ResponsesError
from barometre.scoring.answers import score_answers
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.responses.models import Answer, Respondent


class AnswerRefused(Exception):
    """The answer breaks a rule of the questionnaire; the message says which."""


#: What a respondent reads when the engine refuses an answer (by problem code).
REFUSALS = {
    "not_an_option": gettext_lazy("This answer is not one of the choices offered."),
    "not_a_number": gettext_lazy("Please enter a number, such as 12 or 12.5."),
    "out_of_range": gettext_lazy("This number is outside the range allowed for the question."),
    "exclusive_combined": gettext_lazy("“None of these” cannot be combined with another choice."),
    "repeated_option": gettext_lazy("A choice is ticked twice."),
    "role_not_asked": gettext_lazy("This question is not part of your questionnaire."),
    "unknown_item": gettext_lazy("This question is not part of your questionnaire."),
    "default": gettext_lazy("This answer cannot be saved."),
}


def respondent_for_link(link: AccessLink) -> Respondent:
    """The respondent of a respondent link, created the first time the link is opened."""
    respondent, created = Respondent.objects.get_or_create(
        link=link,
        defaults={"wave": link.wave, "organisation": link.organisation, "role": link.role},
    )
    if created and link.used_at is None:
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return respondent


def check_answer(respondent: Respondent, field_id: str, value: str) -> None:
    """Apply the engine's own rules to one answer (same checks as a responses file)."""
    _questionnaire, tables = wave_questionnaire(respondent.wave)
    row = pd.DataFrame(
        [
            {
                "organisation_id": "o",
                "respondent_id": "r",
                "role": respondent.role,
                "item_id": field_id,
                "answer": value,
            }
        ]
    )
    try:
        score_answers(row, tables, source="answer")
    except ResponsesError as exc:
        code = exc.problems[0].code
        raise AnswerRefused(str(REFUSALS.get(code, REFUSALS["default"]))) from None


def _writable(respondent: Respondent) -> None:
    if respondent.submitted_at is not None:
        raise AnswerRefused(_("Your answers were already sent; they can no longer be changed."))
    if respondent.wave.status != Wave.Status.OPEN:
        raise AnswerRefused(_("This survey is closed."))


@transaction.atomic
def answer_save(*, respondent: Respondent, field_id: str, value: str) -> bool:
    """Save one answer (an empty value clears it). Returns True when something changed."""
    _writable(respondent)
    value = value.strip()
    if not value:
        deleted, _detail = Answer.objects.filter(respondent=respondent, field_id=field_id).delete()
        return bool(deleted)
    check_answer(respondent, field_id, value)
    answer = (
        Answer.objects.select_for_update().filter(respondent=respondent, field_id=field_id).first()
    )
    if answer is None:
        Answer.objects.create(respondent=respondent, field_id=field_id, value=value)
        return True
    if answer.value == value:
        return False
    answer.value = value
    answer.save(update_fields=["value", "updated_at"])
    return True


@transaction.atomic
def answers_save(*, respondent: Respondent, values: dict[str, str]) -> dict[str, str]:
    """Save a whole page (the form posted without JavaScript); returns the refusals by field."""
    refused = {}
    for field_id, value in values.items():
        try:
            answer_save(respondent=respondent, field_id=field_id, value=value)
        except AnswerRefused as exc:
            refused[field_id] = str(exc)
    return refused


def respondent_submit(*, respondent: Respondent) -> None:
    _writable(respondent)
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at"])
