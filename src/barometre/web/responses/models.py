"""Respondents and their answers, saved one field at a time as they are given.

`Answer` holds the current answer of each field with a version; `AnswerChange` keeps every
change ever made (value, time, which of the respondent's sessions), never updated or deleted,
so that no value is ever destroyed and the current answers can be replayed from the log.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.organisations.models import Organisation

#: Letters and digits that cannot be mistaken for one another when read aloud or retyped.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PSEUDONYM_LENGTH = 10


def new_pseudonym() -> str:
    """A random respondent id, `R-` and 10 characters (about 49 bits): it says nothing of the
    person, the organisation or the order of arrival."""
    return "R-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))


class Respondent(models.Model):
    """A person answering for an organisation in a wave, known by a random pseudonym.

    No e-mail address is held here nor in the answers: the address is the link's
    (`AccessLink.email`), erased after the wave (docs/privacy.md)."""

    #: The respondent id wherever one leaves the database (the responses table the
    #: computation scores, exports); stable for the wave, unique.
    pseudonym = models.CharField(max_length=16, unique=True, default=new_pseudonym)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="respondents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="respondents"
    )
    role = models.CharField(max_length=16)
    link = models.OneToOneField(AccessLink, on_delete=models.PROTECT, related_name="respondent")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: Fields with an answer (NA and DK included), kept up to date by every write, so that the
    #: progress bar costs no count.
    answered = models.PositiveIntegerField(default=0)


class Answer(models.Model):
    """The current answer of one respondent to one answer field (`ITEM` or `ITEM.ROW`).

    An empty `value` is an answer the respondent cleared: the row stays so that its version
    goes on counting (a write based on an older version is refused, see `answer_save`).
    """

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    field_id = models.CharField(max_length=128)
    value = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "field_id"], name="one_answer_per_field")
        ]


class AnswerChange(models.Model):
    """One change of an answer, as it was made. Rows are only ever added."""

    class Channel(models.TextChoices):
        AUTOSAVE = "autosave", "autosave"
        PAGE = "page", "page"
        IMPORT = "import", "import"

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="changes")
    field_id = models.CharField(max_length=128)
    value = models.TextField()
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)
    #: The browser tab (or device) the change came from: a random id made by the page, never
    #: an address; "" for a form posted without JavaScript or an import.
    session = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "field_id", "version"], name="one_change_per_version"
            )
        ]
