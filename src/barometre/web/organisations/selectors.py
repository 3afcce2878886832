"""Reads for the referent's screens: the colleagues of an organisation in a wave and what
became of their invitations."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from barometre.web.campaigns.mailing import latest_emails
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Respondent


@dataclass(frozen=True)
class Colleague:
    """A respondent's link of the organisation, as the referent's page lists it."""

    id: int
    email: str
    role: str  # the role's label in the reader's language
    status: str
    email_status: Email | None
    revocable: bool


def link_submitted(link: AccessLink) -> bool:
    try:
        return link.respondent.submitted_at is not None
    except Respondent.DoesNotExist:
        return False


def link_status(link: AccessLink) -> str:
    """Where the person invited by the link stands, in the reader's language."""
    if link.revoked_at:
        return _("revoked")
    try:
        respondent = link.respondent
    except Respondent.DoesNotExist:
        return _("invited")
    return _("answers sent") if respondent.submitted_at else _("answering")


def colleagues_of(
    *, wave: Wave, organisation: Organisation, role_labels: dict[str, str]
) -> list[Colleague]:
    """Every respondent's link of the organisation in the wave, by role and e-mail, with the
    last e-mail sent for it."""
    links = (
        AccessLink.objects.filter(
            wave=wave, organisation=organisation, kind=AccessLink.Kind.RESPONDENT
        )
        .select_related("respondent")
        .order_by("role", "email")
    )
    mailed = {email.link_id: email for email in latest_emails(wave, organisation)}
    return [
        Colleague(
            id=link.pk,
            email=link.email,
            role=role_labels.get(link.role, link.role),
            status=link_status(link),
            email_status=mailed.get(link.pk),
            revocable=link.revoked_at is None and not link_submitted(link),
        )
        for link in links
    ]
