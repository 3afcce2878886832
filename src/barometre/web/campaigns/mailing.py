"""E-mails of the campaigns (invitations, reminders), sent by the background worker.

An e-mail is first a row (`Email`, status `queued`), written in the same transaction as the
link it is about; the worker sends the queued ones in batches over one connection to the mail
server. Each e-mail is marked `sending` (committed) before it is handed to the server and
`sent` after, so that a worker killed in between leaves it `sending`: the next run marks it
`uncertain` rather than sending it a second time. A mail server that cannot be reached leaves
the e-mails queued, tried again later with a growing delay; an address the server refuses is
`bounced`.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.services import link_token
from barometre.web.jobs.models import Job
from barometre.web.jobs.services import Progress, active_job, job_start

logger = logging.getLogger("barometre.mail")

KIND = "emails"
#: E-mails have a queue of their own, so that they never wait behind a wave's reports.
EMAIL_QUEUE = "emails"
INTERRUPTED = gettext_lazy("The sending was interrupted: this e-mail may or may not have gone.")
BATCH = 50
#: An e-mail the mail server could not take is tried this many times, then marked failed.
MAX_ATTEMPTS = 6


def emails_queue(*, links: Iterable[AccessLink], kind: str, base_url: str) -> int:
    """Queue one e-mail per link and make sure the worker will send them (call it in the
    transaction that makes the links: both are written, or neither)."""
    base = settings.BAROMETRE_SITE_URL or base_url.rstrip("/")
    rows = [Email(link=link, kind=kind, base_url=base) for link in links]
    Email.objects.bulk_create(rows, batch_size=1000)
    if rows:
        job_start(kind=KIND, queue=EMAIL_QUEUE)
    return len(rows)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def send_queued_emails(job: Job, progress: Progress) -> str:
    """Send every queued e-mail that is due, in batches; the job of the `emails` kind."""
    interrupted = Email.objects.filter(status=Email.Status.SENDING).update(
        status=Email.Status.UNCERTAIN, error=INTERRUPTED
    )
    if interrupted:
        logger.warning("%s e-mails interrupted while sending, marked uncertain", interrupted)
    sent = 0
    while True:
        now = timezone.now()
        batch = list(
            Email.objects.filter(status=Email.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .select_related("link__wave", "link__organisation")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return ""
        progress.total(sent + len(batch))
        outcome = _send_batch(batch)
        if outcome == UNREACHABLE:
            return ""  # the worker's scheduler tries again later
        sent += len(batch)  # (a dropped connection: the rest of the batch over a new one)
        progress.step(sent)


#: What a batch ends with: every e-mail dealt with, or the connection lost mid-way (each time
#: one e-mail fewer is waiting: it is marked uncertain), or no connection at all.
DONE, DROPPED, UNREACHABLE = "done", "dropped", "unreachable"


def _send_batch(batch: list[Email]) -> str:
    """Send a batch over one connection: DONE, DROPPED or UNREACHABLE."""
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        Email.objects.filter(pk__in=[e.pk for e in batch]).update(attempts=F("attempts") + 1)
        _postpone(batch, exc)
        return UNREACHABLE
    try:
        for email in batch:
            claimed = Email.objects.filter(pk=email.pk, status=Email.Status.QUEUED).update(
                status=Email.Status.SENDING, attempts=F("attempts") + 1
            )
            if not claimed:
                continue
            try:
                message = message_for(email)
            except LinkGone as exc:
                _mark(email, Email.Status.FAILED, str(exc))
                continue
            try:
                connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                if _temporary(exc):  # 4xx (greylisting, a full mailbox): tried again later
                    Email.objects.filter(pk=email.pk).update(status=Email.Status.QUEUED)
                    _postpone([email], exc, reason=_smtp_reason(exc))
                elif isinstance(exc, smtplib.SMTPRecipientsRefused):
                    _mark(email, Email.Status.BOUNCED, _smtp_reason(exc))
                else:
                    _mark(email, Email.Status.FAILED, _smtp_reason(exc))
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # The connection broke while this one was being handed over: it may have gone,
                # so it is not sent again by itself; the others wait for a new connection.
                logger.warning("connection to the mail server lost: %s", exc)
                _mark(email, Email.Status.UNCERTAIN, INTERRUPTED)
                return DROPPED
            except smtplib.SMTPException as exc:
                _mark(email, Email.Status.FAILED, _smtp_reason(exc))
            else:
                _mark(email, Email.Status.SENT, "")
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return DONE


def _mark(email: Email, status: str, error: str | Promise) -> None:
    sent_at = timezone.now() if status == Email.Status.SENT else None
    Email.objects.filter(pk=email.pk).update(status=status, error=error, sent_at=sent_at)


def _temporary(exc: smtplib.SMTPException) -> bool:
    """A refusal the mail server says is temporary (SMTP codes 4xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _reply in exc.recipients.values())
    return 400 <= getattr(exc, "smtp_code", 0) < 500


def _postpone(emails: list[Email], exc: Exception, reason: str | None = None) -> None:
    logger.warning("mail server unreachable (%s); e-mails postponed", exc)
    now = timezone.now()
    for email in emails:
        email.refresh_from_db(fields=["attempts"])
        if email.attempts >= MAX_ATTEMPTS:
            _mark(email, Email.Status.FAILED, _("The mail server could not be reached."))
            continue
        Email.objects.filter(pk=email.pk, status=Email.Status.QUEUED).update(
            next_attempt_at=now + _retry_delay(email.attempts),
            error=reason or _("The mail server could not be reached; it will be tried again."),
        )


def _smtp_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {reply.decode(errors='replace')}" for code, reply in exc.recipients.values()
        ]
        return _("The mail server refused the address: %(reason)s") % {"reason": "; ".join(codes)}
    return _("The mail server refused the e-mail: %(reason)s") % {"reason": exc}


class LinkGone(Exception):
    """The link can no longer be sent (revoked, expired, or its token cannot be made)."""


def message_for(email: Email) -> EmailMessage:
    """The e-mail in French, then in English."""
    link = email.link
    if link.revoked_at is not None:
        raise LinkGone(_("The link was revoked before its e-mail was sent."))
    if not link.email:
        raise LinkGone(_("The e-mail address of this link was erased."))
    if link.expires_at <= timezone.now():
        raise LinkGone(_("The link expired before its e-mail was sent."))
    token = link_token(link)
    if token is None:
        raise LinkGone(_("This link cannot be sent again: make a new one."))
    if link.kind == AccessLink.Kind.REFERENT:
        url = email.base_url + reverse("organisations:accept", kwargs={"token": token})
    else:
        url = email.base_url + reverse("responses:start", kwargs={"token": token})
    parts = []
    for language in ("fr", "en"):
        with translation.override(language):
            parts.append(_texts(email, link, url))
    subject = parts[0][0]
    body = parts[0][1] + "\n\n— English —\n\n" + parts[1][1]
    return EmailMessage(
        subject, body, to=[link.email], headers={"X-Barometre-Email": str(email.pk)}
    )


def _texts(email: Email, link: AccessLink, url: str) -> tuple[str, str]:
    values = {
        "organisation": link.organisation.name,
        "year": link.wave.year,
        "url": url,
        "expiry": link.expires_at.date().isoformat(),
    }
    reminder = email.kind == Email.Kind.REMINDER
    if link.kind == AccessLink.Kind.REFERENT:
        subject = _("Digital maturity barometer %(year)s: your organisation is invited") % values
        body = (
            _(
                "Hello,\n\nYou are invited to coordinate the answers of %(organisation)s to the "
                "digital maturity barometer of social housing %(year)s. Create your access "
                "with this personal link (valid until %(expiry)s):\n\n%(url)s\n"
            )
            % values
        )
    else:
        subject = _("Digital maturity barometer %(year)s: your questionnaire") % values
        body = (
            _(
                "Hello,\n\n%(organisation)s takes part in the digital maturity barometer of "
                "social housing %(year)s. Your questionnaire takes about 20 minutes; your "
                "answers are saved as you go and you can come back with the same link (valid "
                "until %(expiry)s):\n\n%(url)s\n"
            )
            % values
        )
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
        body = _("This is a reminder: we have not received your answers yet.") + "\n\n" + body
    return subject, body


# ---- reminders ---------------------------------------------------------------------------
def unanswered_links(wave: Wave) -> list[AccessLink]:
    """Live links of the wave whose person has not answered (respondents who have not sent,
    referents who have not accepted) and whose invitation has gone."""
    now = timezone.now()
    links = (
        AccessLink.objects.filter(wave=wave, revoked_at__isnull=True, expires_at__gt=now)
        .exclude(email="")  # erased (docs/privacy.md): nobody to write to
        .filter(emails__status=Email.Status.SENT)
        .exclude(emails__status__in=[Email.Status.QUEUED, Email.Status.SENDING])
        .exclude(respondent__submitted_at__isnull=False)
        .exclude(kind=AccessLink.Kind.REFERENT, used_at__isnull=False)
        .select_related("wave", "organisation")
        .distinct()
    )
    return list(links)


def reminders_queue(*, wave: Wave, base_url: str) -> int:
    """Remind everyone of the wave who has not answered yet (operator's button)."""
    with transaction.atomic():
        Wave.objects.select_for_update().filter(pk=wave.pk).first()  # one reminder run at a time
        return emails_queue(
            links=unanswered_links(wave), kind=Email.Kind.REMINDER, base_url=base_url
        )


def reminders_due() -> int:
    """Scheduled reminders: in every open wave that asks for them, those who have not
    answered and were last written to `remind_every_days` ago or more."""
    queued = 0
    for wave in Wave.objects.filter(status=Wave.Status.OPEN, remind_every_days__gt=0):
        with transaction.atomic():
            Wave.objects.select_for_update().filter(pk=wave.pk).first()
            due = _due(wave, timezone.now() - timedelta(days=wave.remind_every_days))
            if due:
                base = (
                    Email.objects.filter(link__wave=wave).values_list("base_url", flat=True).first()
                )
                queued += emails_queue(links=due, kind=Email.Kind.REMINDER, base_url=base or "")
    return queued


def _due(wave: Wave, since) -> list[AccessLink]:
    last = dict(
        Email.objects.filter(link__wave=wave)
        .values("link_id")
        .annotate(last=Max("created_at"))
        .values_list("link_id", "last")
    )
    return [link for link in unanswered_links(wave) if last.get(link.pk, since) <= since]


def emails_tick() -> None:
    """The worker's periodic look: reminders that are due, and a sending job whenever e-mails
    are waiting (queued with their retry time reached) and none is under way."""
    reminders_due()
    waiting = Email.objects.filter(status=Email.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )
    if waiting.exists() and active_job(kind=KIND) is None:
        with transaction.atomic():
            job_start(kind=KIND, queue=EMAIL_QUEUE)


def emails_resend(*, wave: Wave, base_url: str) -> int:
    """Send again the e-mails of the wave that failed or were interrupted (their link still
    live); a bounced address is left alone: it needs a corrected address, hence a new link."""
    latest = latest_emails(wave)
    links = [
        email.link
        for email in latest
        if email.status in (Email.Status.FAILED, Email.Status.UNCERTAIN)
        and email.link.revoked_at is None
        and email.link.expires_at > timezone.now()
    ]
    with transaction.atomic():
        return emails_queue(links=links, kind=Email.Kind.INVITATION, base_url=base_url)


def latest_emails(wave: Wave, organisation=None) -> list[Email]:
    """The last e-mail of each link of the wave (of one organisation): what each person was
    last sent."""
    emails = Email.objects.filter(link__wave=wave)
    if organisation is not None:
        emails = emails.filter(link__organisation=organisation)
    last = emails.values("link_id").annotate(last=Max("pk")).values_list("last", flat=True)
    return list(
        Email.objects.filter(pk__in=list(last)).select_related("link__organisation").order_by("pk")
    )
