"""Writes for referents: accepting the invitation, inviting colleagues; and the ends of an
access: revoking a referent's invitation, ending a membership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.campaigns.mailing import emails_queue
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.services import (
    ActionRefused,
    LinkError,
    link_create,
    link_revoke,
)
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.selectors import may_act_for


@transaction.atomic
def referent_accept(*, link: AccessLink, password: str | None):
    """Give the link's e-mail a membership of the organisation; the link is then used up.

    A new account is created with `password`, checked by the validators of
    AUTH_PASSWORD_VALIDATORS against the account's own e-mail (a password like the e-mail is
    refused). An existing account is never touched here: the view asks its owner to sign in
    first, and calls this with `password=None`. The link is read again, locked, so that a
    link revoked, used or expired since the page was shown creates nothing (LinkError).
    """
    link = _live_referent_link(link)
    users = get_user_model()
    user = users.objects.filter(username=link.email).first()
    if user is None:
        assert password is not None, "a new account needs a password (the view asks for one)"
        validate_password(password, user=users(username=link.email, email=link.email))
        user = users.objects.create_user(username=link.email, email=link.email, password=password)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=link.organisation
    )
    if not created and membership.ended_at is not None:
        membership.ended_at = None  # a new invitation gives the access back
        membership.save(update_fields=["ended_at"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return user


def _live_referent_link(link: AccessLink) -> AccessLink:
    """The link as it is now in the database, locked until the transaction ends; LinkError
    when it can no longer be used (link_for_token's rules)."""
    current = (
        AccessLink.objects.select_for_update()
        .select_related("wave", "organisation")
        .filter(pk=link.pk, kind=AccessLink.Kind.REFERENT)
        .first()
    )
    if current is None:
        raise LinkError(_("This link is not valid. Check that you copied it whole."))
    if current.revoked_at is not None:
        raise LinkError(
            _("This link has been revoked. Ask your organisation's referent for a new one.")
        )
    if current.used_at is not None:
        raise LinkError(
            _(
                "This invitation has already been used. Sign in with your e-mail "
                "address and password."
            )
        )
    if current.expires_at <= timezone.now() or not current.email:
        raise LinkError(_("This link has expired. Ask your organisation's referent for a new one."))
    return current


@transaction.atomic
def membership_end(*, membership: Membership) -> bool:
    """End a referent's access to the organisation (a person who left, a wrong address): the
    dashboard, the report and colleague invitations are refused from the next request on.

    The person's referent invitations for the organisation (any wave, used or not) are
    revoked too, so that an unused one cannot give the access back and the organisation
    counts as without a referent. Their account stays (it may be a referent elsewhere), and
    so do the answers of the colleagues they invited. Returns False when already ended.
    """
    current = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if current.ended_at is not None:
        return False
    now = timezone.now()
    current.ended_at = now
    current.save(update_fields=["ended_at"])
    membership.ended_at = now
    AccessLink.objects.filter(
        organisation_id=current.organisation_id,
        kind=AccessLink.Kind.REFERENT,
        email__iexact=current.user.email or current.user.get_username(),
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    return True


def referent_invitation_revoke(*, link: AccessLink) -> bool:
    """Revoke a referent's invitation before it is used: its link can no longer create an
    account or a membership (`referent_accept` refuses it). A used invitation is already
    spent: end the membership instead. Returns False when there was nothing to revoke."""
    if link.kind != AccessLink.Kind.REFERENT:
        raise ActionRefused(_("This is not a referent's invitation."))
    if link.used_at is not None:
        raise ActionRefused(
            _("This invitation has been accepted: end the referent's membership instead.")
        )
    if link.revoked_at is not None:
        return False
    link_revoke(link=link)
    return True


@transaction.atomic
def colleague_invite(*, by, wave, organisation: Organisation, email: str, role: str, base_url: str):
    """A respondent's link and its invitation e-mail, written together; only while the wave
    is open (read from the database, not from the caller's copy of the wave), and only by
    an operator or a current member of the organisation (`by`)."""
    if not may_act_for(user=by, organisation=organisation):
        raise PermissionDenied
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
    if by.is_staff:  # an operator's action, wherever it is taken, is in the audit log
        record(
            action=AuditEntry.Action.COLLEAGUE_INVITE,
            user=by,
            wave=wave,
            target=f"{organisation.external_id} respondent link {link.pk}",
        )
    return link, token


@transaction.atomic
def colleague_link_revoke(*, by, link: AccessLink) -> None:
    """Revoke a colleague's respondent link (their saved answers stay), by a current member
    of its organisation or an operator; an operator's revocation is in the audit log."""
    if not may_act_for(user=by, organisation=link.organisation):
        raise PermissionDenied
    if link.revoked_at is not None:
        return
    link_revoke(link=link)
    if by.is_staff:
        record(
            action=AuditEntry.Action.LINK_REVOKE,
            user=by,
            wave=link.wave,
            target=f"{link.organisation.external_id} {link.kind} link {link.pk}",
        )
