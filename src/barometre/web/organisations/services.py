"""Writes for referents: accepting the invitation, inviting colleagues."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from barometre.web.campaigns.models import AccessLink
from barometre.web.campaigns.services import link_create
from barometre.web.organisations.models import Membership, Organisation


@transaction.atomic
def referent_accept(*, link: AccessLink, password: str):
    """Create (or reuse) the referent's account and membership; the link is then used up."""
    validate_password(password)
    users = get_user_model()
    user = users.objects.filter(username=link.email).first()
    if user is None:
        user = users.objects.create_user(username=link.email, email=link.email, password=password)
    Membership.objects.get_or_create(user=user, organisation=link.organisation)
    link.used_at = timezone.now()
    link.revoked_at = link.used_at  # a referent link works once
    link.save(update_fields=["used_at", "revoked_at"])
    return user


def colleague_invite(*, wave, organisation: Organisation, email: str, role: str):
    return link_create(
        wave=wave,
        organisation=organisation,
        kind=AccessLink.Kind.RESPONDENT,
        email=email,
        role=role,
    )
