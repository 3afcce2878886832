"""Writes of the respondent's journey: each answer is saved on its own, as soon as it is given.

The rules that keep every answer (docs/web.md, "Answer writes"):
- each answer is written in its own short transaction, checked beforehand with the
  questionnaire's rules for that field (`AnswerRules`, the engine's own rules); a refusal is
  the core's `Problem`, told to the respondent in their language (`Problem.localized`);
- every stored answer has a version; a write states the version it was based on, and a write
  based on an older version (another tab, another device) is refused as a conflict, never
  applied over the newer answer; writing the value already stored is a success that changes
  nothing (a replay after a lost reply);
- a page posted as a whole writes only the fields that page changed;
- every change is added to the log (`AnswerChange`) and nothing is ever deleted from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from barometre.errors import Problem
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.questionnaires import wave_answer_rules
from barometre.web.responses.models import Answer, AnswerChange, Respondent


class AnswerRefused(Exception):
    """The answer breaks a rule of the questionnaire, or can no longer be changed.

    `str()` is the message in the language active when it was raised (the request's);
    `problem` is the rule broken, when it is one of an answer's (`AnswerRules.problem`)."""

    def __init__(self, message: str, problem: Problem | None = None):
        super().__init__(message)
        self.problem = problem

    @classmethod
    def of(cls, found: Problem) -> AnswerRefused:
        return cls(found.localized(gettext), found)


class SurveyClosed(AnswerRefused):
    """The wave is no longer open: this answer was not saved, and no other will be. The page
    says so at once (its answers stay in the browser's outbox)."""


_SESSION = re.compile(r"[A-Za-z0-9_-]{1,32}")


def clean_session(value: str | None) -> str:
    """The page's tab id if it looks like one, else "" (never anything that identifies)."""
    return value if value and _SESSION.fullmatch(value) else ""


@dataclass(frozen=True)
class SaveOutcome:
    """What became of a write: `saved`, `unchanged` (the value was already stored) or
    `conflict` (changed elsewhere since `base_version`: `value` and `version` are the stored
    ones, kept)."""

    status: Literal["saved", "unchanged", "conflict"]
    value: str
    version: int
    answered: int


def respondent_for_link(link: AccessLink) -> Respondent:
    """The respondent of a respondent link, created the first time the link is opened."""
    try:
        respondent = link.respondent  # loaded with the link (`link_for_token`)
    except Respondent.DoesNotExist:
        pass
    else:
        # the link's wave and organisation are loaded already: no query for them again
        respondent.wave, respondent.organisation = link.wave, link.organisation
        return respondent
    respondent, created = Respondent.objects.get_or_create(
        link=link,
        defaults={"wave": link.wave, "organisation": link.organisation, "role": link.role},
    )
    if created and link.used_at is None:
        AccessLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
    return respondent


def check_answer(respondent: Respondent, field_id: str, value: str) -> None:
    """Apply the engine's own rules to one answer (same checks as a responses file, its
    length and characters included); raise `AnswerRefused` with the problem in the reader's
    language."""
    found = wave_answer_rules(respondent.wave).problem(respondent.role, field_id, value)
    if found is not None:
        raise AnswerRefused.of(found)


def _writable(respondent: Respondent) -> int:
    """Refuse writes once the answers are sent or the wave is no longer open (read afresh,
    inside the write's transaction, so that closing a wave wins over a write under way);
    returns the respondent's count of answered fields."""
    fresh = (
        # Locks the respondent's row only (never the wave's): one respondent's writes queue,
        # other respondents' go on.
        Respondent.objects.select_for_update(of=("self",))
        .filter(pk=respondent.pk)
        .values_list("submitted_at", "wave__status", "answered")
        .get()
    )
    submitted_at, status, answered = fresh
    if submitted_at is not None:
        raise AnswerRefused(_("Your answers were already sent; they can no longer be changed."))
    if status != Wave.Status.OPEN:
        raise SurveyClosed(_("This survey is closed."))
    return answered


def answer_save(
    *,
    respondent: Respondent,
    field_id: str,
    value: str,
    base_version: int,
    session: str = "",
    channel: str = AnswerChange.Channel.AUTOSAVE,
) -> SaveOutcome:
    """Save one answer (an empty value clears it), if it is based on the stored version."""
    # stored as the rules read them: " a_scale" is the field a_scale, never a field of its own
    field_id, value = field_id.strip(), value.strip()
    check_answer(respondent, field_id, value)  # "" (cleared) is checked for the field only
    with transaction.atomic():
        answered = _writable(respondent)
        answer = (
            Answer.objects.select_for_update()
            .filter(respondent=respondent, field_id=field_id)
            .first()
        )
        stored_value = answer.value if answer else ""
        stored_version = answer.version if answer else 0
        if value == stored_value:
            return SaveOutcome("unchanged", stored_value, stored_version, answered)
        if base_version != stored_version:
            return SaveOutcome("conflict", stored_value, stored_version, answered)
        version = stored_version + 1
        if answer is None:
            Answer.objects.create(
                respondent=respondent, field_id=field_id, value=value, version=version
            )
        else:
            answer.value, answer.version = value, version
            answer.save(update_fields=["value", "version", "updated_at"])
        AnswerChange.objects.create(
            respondent=respondent,
            field_id=field_id,
            value=value,
            version=version,
            session=session,
            channel=channel,
        )
        delta = bool(value) - bool(stored_value)
        if delta:
            Respondent.objects.filter(pk=respondent.pk).update(answered=F("answered") + delta)
        return SaveOutcome("saved", value, version, answered + delta)


@dataclass(frozen=True)
class PageOutcome:
    """A page posted as a whole: refusals and conflicts by field (messages to show)."""

    refused: dict[str, str]
    conflicts: dict[str, str]


def page_save(
    *, respondent: Respondent, posted: dict[str, tuple[str, int]], session: str = ""
) -> PageOutcome:
    """Save a page posted as a whole (`posted`: field → (value, version shown on the page)).

    Only what this page changed is written: a field whose posted value is the one the page
    showed is left alone, so a page opened before another tab answered never blanks or
    overwrites that answer. A field the page did change, based on an older version, is a
    conflict: the newer answer stays and the page says so.
    """
    shown = _values_at_versions(respondent, posted)
    refused: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    for field_id, (value, version) in posted.items():
        if value.strip() == shown.get((field_id, version), ""):
            continue  # not changed on this page
        try:
            outcome = answer_save(
                respondent=respondent,
                field_id=field_id,
                value=value,
                base_version=version,
                session=session,
                channel=AnswerChange.Channel.PAGE,
            )
        except AnswerRefused as exc:
            refused[field_id] = str(exc)
        else:
            if outcome.status == "conflict":
                conflicts[field_id] = str(CHANGED_ELSEWHERE)
    return PageOutcome(refused=refused, conflicts=conflicts)


CHANGED_ELSEWHERE = gettext_lazy(
    "This answer was changed elsewhere (another tab or device) after this page was opened: "
    "the answer saved there is kept and shown. Change it again if needed."
)


def _values_at_versions(
    respondent: Respondent, posted: dict[str, tuple[str, int]]
) -> dict[tuple[str, int], str]:
    """The value each field had at the version the page showed, from the log."""
    wanted = {(f, v) for f, (_value, v) in posted.items() if v > 0}
    if not wanted:
        return {}
    rows = AnswerChange.objects.filter(
        respondent=respondent, field_id__in=[f for f, _v in wanted]
    ).values_list("field_id", "version", "value")
    return {(f, v): value for f, v, value in rows if (f, v) in wanted}


def respondent_submit(*, respondent: Respondent) -> None:
    with transaction.atomic():
        _writable(respondent)
        Respondent.objects.filter(pk=respondent.pk).update(submitted_at=timezone.now())
    respondent.refresh_from_db(fields=["submitted_at"])
