"""Organisations (social landlords) and who may act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from barometre.identifiers import IDENTIFIER_MAX_LENGTH
from barometre.organisations import MAX_NAME_LENGTH


class Organisation(models.Model):
    """A landlord, stable across waves; `external_id` is the frame's `organisation_id`."""

    # the core's limits, so that whatever the frame accepts fits (barometre.identifiers)
    external_id = models.CharField(_("identifier"), max_length=IDENTIFIER_MAX_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self) -> MembershipQuerySet:
        """The memberships that give access now (not ended)."""
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A user who may read an organisation's results and invite its respondents, until the
    membership is ended (`ended_at`, kept so that the operator sees who had access)."""

    class Role(models.TextChoices):
        REFERENT = "referent", _("referent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REFERENT)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership")
        ]
