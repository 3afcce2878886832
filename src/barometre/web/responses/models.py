"""Respondents and their answers, saved one field at a time as they are given."""

from __future__ import annotations

from django.db import models

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.organisations.models import Organisation


class Respondent(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="respondents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="respondents"
    )
    role = models.CharField(max_length=16)
    link = models.OneToOneField(AccessLink, on_delete=models.PROTECT, related_name="respondent")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    @property
    def public_id(self) -> str:
        return f"{self.organisation.external_id}-R{self.pk:05d}"


class Answer(models.Model):
    """The current answer of one respondent to one answer field (`ITEM` or `ITEM.ROW`)."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    field_id = models.CharField(max_length=128)
    value = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "field_id"], name="one_answer_per_field")
        ]
