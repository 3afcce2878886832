"""Personal data of respondents: find what is held about a person, export it, erase it, and
erase the e-mail addresses of waves closed long enough ago (docs/privacy.md).

What is held about a person: their links (the only place an e-mail address is kept), the
e-mails sent for them, and, for a respondent link, the respondent (a random pseudonym), their
answers and the full log of their changes. A user account made from a referent link is listed
in the export, never erased here (accounts are closed from the people screen).

Every export, erasure and retention run is written to the audit log, naming respondents by
their pseudonyms only.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict

from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.organisations.models import Membership
from barometre.web.responses.models import (
    PSEUDONYM_ALPHABET,
    PSEUDONYM_LENGTH,
    Answer,
    AnswerChange,
    Respondent,
)

EXPORT_FORMAT: Literal["barometre.personal-data"] = "barometre.personal-data"


class SubjectNotFound(Exception):
    """Nothing is held under this e-mail address or pseudonym (the message says so)."""


# ---- finding a person ----------------------------------------------------------------------


def _looks_like_pseudonym(text: str) -> bool:
    body = text[2:]
    return (
        text.startswith("R-")
        and len(body) == PSEUDONYM_LENGTH
        and all(c in PSEUDONYM_ALPHABET for c in body)
    )


@dataclass(frozen=True)
class DataSubject:
    """The links held about one person (their respondents come with them), and any user
    account under their address."""

    looked_up_by: Literal["email", "pseudonym"]
    links: tuple[AccessLink, ...]
    accounts: tuple[User, ...]

    @property
    def respondents(self) -> list[Respondent]:
        found = []
        for link in self.links:
            try:
                found.append(link.respondent)
            except Respondent.DoesNotExist:
                continue
        return found

    @property
    def pseudonyms(self) -> list[str]:
        return [respondent.pseudonym for respondent in self.respondents]

    @property
    def emails(self) -> list[str]:
        return sorted({link.email.lower() for link in self.links if link.email})


def find_subject(query: str) -> DataSubject:
    """The person of an e-mail address (any case), or of a pseudonym (`R-...`): by a
    pseudonym, that respondent and, while its address is held, every link of that address."""
    text = query.strip()
    if not text:
        raise SubjectNotFound(_("Give an e-mail address or a pseudonym."))
    links = AccessLink.objects.select_related("wave", "organisation", "respondent").order_by(
        "wave__year", "created_at", "pk"
    )
    if "@" in text and "\x00" not in text:  # no address holds a NUL (PostgreSQL refuses it)
        looked_up_by: Literal["email", "pseudonym"] = "email"
        found = list(links.filter(email__iexact=text))
    elif _looks_like_pseudonym(text.upper()):
        looked_up_by = "pseudonym"
        found = list(links.filter(respondent__pseudonym=text.upper()))
        if found and found[0].email:
            found = list(links.filter(email__iexact=found[0].email))
    else:
        raise SubjectNotFound(
            _("“%(query)s” is neither an e-mail address nor a pseudonym (R- and 10 characters).")
            % {"query": text[:80]}
        )
    addresses = {link.email.lower() for link in found if link.email}
    if looked_up_by == "email":
        addresses.add(text.lower())  # an account may outlive its links (erased, or none made)
    users = get_user_model().objects.none()
    for address in addresses:
        users = users | get_user_model().objects.filter(
            Q(username__iexact=address) | Q(email__iexact=address)
        )
    accounts = tuple(users.distinct().order_by("pk"))
    if not found and not accounts:
        raise SubjectNotFound(_("Nothing is held under “%(query)s”.") % {"query": text[:254]})
    return DataSubject(looked_up_by=looked_up_by, links=tuple(found), accounts=accounts)


# ---- export ---------------------------------------------------------------------------------


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SentEmailRecord(_Record):
    kind: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    error: str


class AnswerRecord(_Record):
    field_id: str
    value: str
    version: int
    updated_at: datetime


class ChangeRecord(_Record):
    field_id: str
    value: str
    version: int
    changed_at: datetime
    session: str
    channel: str


class RespondentRecord(_Record):
    pseudonym: str
    role: str
    created_at: datetime
    submitted_at: datetime | None
    answers: list[AnswerRecord]
    changes: list[ChangeRecord]


class LinkRecord(_Record):
    wave_year: int
    wave_title: str
    organisation_id: str
    organisation_name: str
    kind: str
    role: str
    email: str
    email_erased_at: datetime | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    emails_sent: list[SentEmailRecord]
    respondent: RespondentRecord | None


class AccountRecord(_Record):
    username: str
    email: str
    date_joined: datetime
    last_login: datetime | None
    organisations: list[str]


class PersonalDataExport(_Record):
    """Everything held about one person, as the JSON file they are given."""

    format: Literal["barometre.personal-data"] = EXPORT_FORMAT
    version: Literal[1] = 1
    exported_at: datetime
    looked_up_by: Literal["email", "pseudonym"]
    links: list[LinkRecord]
    accounts: list[AccountRecord]


def _respondent_record(respondent: Respondent) -> RespondentRecord:
    return RespondentRecord(
        pseudonym=respondent.pseudonym,
        role=respondent.role,
        created_at=respondent.created_at,
        submitted_at=respondent.submitted_at,
        answers=[
            AnswerRecord(
                field_id=a.field_id, value=a.value, version=a.version, updated_at=a.updated_at
            )
            for a in respondent.answers.order_by("field_id")
        ],
        changes=[
            ChangeRecord(
                field_id=c.field_id,
                value=c.value,
                version=c.version,
                changed_at=c.changed_at,
                session=c.session,
                channel=c.channel,
            )
            for c in respondent.changes.order_by("changed_at", "pk")
        ],
    )


def _link_record(link: AccessLink) -> LinkRecord:
    try:
        respondent: RespondentRecord | None = _respondent_record(link.respondent)
    except Respondent.DoesNotExist:
        respondent = None
    return LinkRecord(
        wave_year=link.wave.year,
        wave_title=link.wave.title,
        organisation_id=link.organisation.external_id,
        organisation_name=link.organisation.name,
        kind=link.kind,
        role=link.role,
        email=link.email,
        email_erased_at=link.email_erased_at,
        created_at=link.created_at,
        expires_at=link.expires_at,
        used_at=link.used_at,
        revoked_at=link.revoked_at,
        emails_sent=[
            SentEmailRecord(
                kind=e.kind,
                status=e.status,
                attempts=e.attempts,
                created_at=e.created_at,
                sent_at=e.sent_at,
                error=e.error,
            )
            for e in link.emails.order_by("created_at", "pk")
        ],
        respondent=respondent,
    )


def _account_record(user) -> AccountRecord:
    return AccountRecord(
        username=user.get_username(),
        email=user.email,
        date_joined=user.date_joined,
        last_login=user.last_login,
        organisations=sorted(
            Membership.objects.filter(user=user).values_list("organisation__external_id", flat=True)
        ),
    )


def subject_export(subject: DataSubject, *, user) -> PersonalDataExport:
    """Everything held about the person; the export is written to the audit log."""
    export = PersonalDataExport(
        exported_at=timezone.now(),
        looked_up_by=subject.looked_up_by,
        links=[_link_record(link) for link in subject.links],
        accounts=[_account_record(account) for account in subject.accounts],
    )
    _record_per_wave(subject, AuditEntry.Action.RESPONDENT_EXPORT, user)
    return export


def _record_per_wave(subject: DataSubject, action: AuditEntry.Action, user) -> None:
    """One audit entry per wave touched, naming its respondents by pseudonym (never the
    address); links without a respondent are counted."""
    waves: dict[int, tuple[Wave, list[str], int]] = {}
    for link in subject.links:
        wave, names, count = waves.get(link.wave.pk, (link.wave, [], 0))
        with contextlib.suppress(Respondent.DoesNotExist):
            names.append(link.respondent.pseudonym)
        waves[link.wave.pk] = (wave, names, count + 1)
    for wave, names, count in waves.values():
        record(action=action, user=user, wave=wave, target=names, count=count)


# ---- erasure --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed; `stale_years`: waves whose stored results were computed with
    answers now erased (docs/privacy.md, "Erasure and computed waves")."""

    pseudonyms: tuple[str, ...]
    links: int
    emails: int
    answers: int
    changes: int
    accounts: int
    stale_years: tuple[int, ...]


@transaction.atomic
def subject_erase(subject: DataSubject, *, user) -> Erasure:
    """Delete the person's links, the e-mails sent for them, their respondents, answers and
    change log, and their user account unless it is an operator's (with its memberships and
    failed sign-ins), all at once or not at all; written to the audit log."""
    link_ids = [link.pk for link in subject.links]
    respondents = Respondent.objects.filter(link_id__in=link_ids)
    pseudonyms = tuple(respondents.order_by("pseudonym").values_list("pseudonym", flat=True))
    computed = (
        respondents.filter(wave__scores__isnull=False)
        .order_by()
        .values("wave_id")
        .annotate(n=Count("pk"))
    )
    stale: list[int] = []
    for row in computed:
        Wave.objects.filter(pk=row["wave_id"]).update(
            erased_since_computation=F("erased_since_computation") + row["n"]
        )
        stale.append(Wave.objects.values_list("year", flat=True).get(pk=row["wave_id"]))
    _record_per_wave(subject, AuditEntry.Action.RESPONDENT_ERASE, user)
    changes, _kinds = AnswerChange.objects.filter(respondent__in=respondents).delete()
    answers, _kinds = Answer.objects.filter(respondent__in=respondents).delete()
    respondents.delete()
    emails, _kinds = Email.objects.filter(link_id__in=link_ids).delete()
    links, _kinds = AccessLink.objects.filter(pk__in=link_ids).delete()
    accounts = 0
    for account in subject.accounts:
        if account.is_staff:  # an operator's account is closed by whoever runs the site
            continue
        record(action=AuditEntry.Action.ACCOUNT_ERASE, user=user, target=f"user {account.pk}")
        # the failed sign-ins kept for throttling name the account by its user name
        AccessAttempt.objects.filter(username__iexact=account.get_username()).delete()
        account.delete()  # and its memberships with it
        accounts += 1
    return Erasure(
        pseudonyms=pseudonyms,
        links=links,
        emails=emails,
        answers=answers,
        changes=changes,
        accounts=accounts,
        stale_years=tuple(sorted(stale)),
    )


# ---- retention of e-mail addresses ---------------------------------------------------------

RETENTION_COMMAND = "erase_expired_emails"


@dataclass(frozen=True)
class WaveRetention:
    """A wave whose addresses are past their retention: how many were (or would be) erased."""

    year: int
    closed_at: datetime
    addresses: int


def emails_retention(
    *, now: datetime | None = None, days: int | None = None, dry_run: bool = False
) -> list[WaveRetention]:
    """Erase the e-mail addresses of the links of every wave closed `days` ago or more
    (`BAROMETRE_EMAIL_RETENTION_DAYS`), with the error text of their e-mails (a mail server's
    refusal may quote the address). Answers, respondents and links stay. Running it again
    erases nothing more; `dry_run` only counts. Each wave erased is written to the audit log."""
    now = now or timezone.now()
    days = settings.BAROMETRE_EMAIL_RETENTION_DAYS if days is None else days
    limit = now - timedelta(days=days)
    waves = Wave.objects.filter(
        status__gte=Wave.Status.CLOSED, closed_at__isnull=False, closed_at__lte=limit
    ).order_by("year")
    done: list[WaveRetention] = []
    for wave in waves.only("pk", "year", "closed_at"):
        with transaction.atomic():
            held = AccessLink.objects.filter(wave=wave).exclude(email="")
            count = held.count()
            if count == 0:
                continue
            if wave.closed_at is None:  # narrowed for the type checker: filtered above
                continue
            done.append(WaveRetention(year=wave.year, closed_at=wave.closed_at, addresses=count))
            if dry_run:
                continue
            Email.objects.filter(link__in=held).exclude(error="").update(error="")
            held.update(email="", email_erased_at=now)
            record(
                action=AuditEntry.Action.EMAILS_RETENTION,
                command=RETENTION_COMMAND,
                wave=wave,
                count=count,
                detail=f"closed more than {days} days ago",
            )
    return done
