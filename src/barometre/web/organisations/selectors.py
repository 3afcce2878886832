"""Reads for the referent's screens: the colleagues of an organisation in a wave and what
became of their invitations."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.http import Http404
from django.utils.translation import gettext as _

from barometre.web.campaigns.mailing import latest_emails
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.selectors import responses_table
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer, Respondent


@dataclass(frozen=True)
class Colleague:
    """A respondent's link of the organisation, as the referent's page lists it."""

    id: int
    email: str
    role: str  # the role's label in the reader's language
    status: str
    email_status: Email | None
    revocable: bool


def organisation_waves(*, organisation: Organisation, operator: bool = False):
    """The waves an organisation's pages show: those whose frame holds the organisation and,
    for its referents, only once they are open (a draft wave, its title included, is the
    operators' own until it opens). Newest first."""
    waves = Wave.objects.filter(frame__organisation=organisation)
    if not operator:
        waves = waves.filter(status__gte=Wave.Status.OPEN)
    return waves.order_by("-year")


def organisation_wave(*, organisation: Organisation, year: int, operator: bool = False) -> Wave:
    """The wave of `year` as the organisation's pages may show it (`organisation_waves`), else
    404: a wave a referent may not see is one that does not exist, for them."""
    wave = organisation_waves(organisation=organisation, operator=operator).filter(year=year)
    found = wave.first()
    if found is None:
        raise Http404
    return found


def may_act_for(*, user, organisation: Organisation) -> bool:
    """Whether the user may read the organisation's results and invite its respondents: an
    operator, or a current member (an ended membership gives nothing)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (
        Membership.objects.current().filter(user=user, organisation=organisation).exists()
    )


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


def submitted_responses(*, wave: Wave, organisation: Organisation | None = None) -> pd.DataFrame:
    """The answers of the respondents who sent theirs, in the responses-file contract: of one
    organisation, or of the whole wave. What provisional results are computed from, before
    the wave is (the computation also counts answers never sent, once the wave is closed)."""
    answers = Answer.objects.filter(respondent__wave=wave, respondent__submitted_at__isnull=False)
    if organisation is not None:
        answers = answers.filter(respondent__organisation=organisation)
    return responses_table(answers, wave)
