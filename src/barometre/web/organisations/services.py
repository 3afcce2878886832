"""Writes for referents: accepting the invitation, inviting colleagues."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from barometre.web.campaigns.mailing import emails_queue
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.services import ActionRefused, link_create
from barometre.web.organisations.models import Membership, Organisation


@transaction.atomic
def referent_accept(*, link: AccessLink, password: str | None):
    """Give the link's e-mail a membership of the organisation; the link is then used up.

    A new account is created with `password`. An existing account is never touched here: the
    view asks its owner to sign in first, and calls this with `password=None`.
    """
    users = get_user_model()
    user = users.objects.filter(username=link.email).first()
    if user is None:
        assert password is not None, "a new account needs a password (the view asks for one)"
        validate_password(password)
        user = users.objects.create_user(username=link.email, email=link.email, password=password)
    Membership.objects.get_or_create(user=user, organisation=link.organisation)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return user


@transaction.atomic
def colleague_invite(*, wave, organisation: Organisation, email: str, role: str, base_url: str):
    """A respondent's link and its invitation e-mail, written together; only while the wave
    is open (read from the database, not from the caller's copy of the wave)."""
    if Wave.objects.values_list("status", flat=True).get(pk=wave.pk) != Wave.Status.OPEN:
        raise ActionRefused(_("The wave is not open: no invitation can be sent."))
    link, token = link_create(
        wave=wave,
        organisation=organisation,
        kind=AccessLink.Kind.RESPONDENT,
        email=email,
        role=role,
    )
    emails_queue(links=[link], kind=Email.Kind.INVITATION, base_url=base_url)
    return link, token
