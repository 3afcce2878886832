"""E-mails and jobs, in process: each e-mail's outcome, reminders, claims and recovery.

The mail server is Django's test backends, or one that behaves as a real server does when it
refuses an address or cannot be reached (`RefusingBackend`, `UnreachableBackend` below).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from barometre.web.campaigns.mailing import (
    emails_queue,
    emails_tick,
    reminders_queue,
)
from barometre.web.campaigns.models import AccessLink, Email
from barometre.web.campaigns.services import link_revoke
from barometre.web.jobs.models import Job
from barometre.web.jobs.services import active_job, job_run, recover_jobs
from barometre.web.responses.models import Respondent

pytestmark = pytest.mark.django_db


def links_of(wave, emails):
    from barometre.web.campaigns.services import link_create
    from barometre.web.organisations.models import Organisation

    alpha = Organisation.objects.get(external_id="ALPHA")
    return [
        link_create(
            wave=wave,
            organisation=alpha,
            kind=AccessLink.Kind.RESPONDENT,
            role="numerique",
            email=e,
        )[0]
        for e in emails
    ]


def run_sending():
    """The worker runs the sending job queued with the e-mails (or a new one)."""
    job = active_job(kind="emails") or Job.objects.create(kind="emails")
    job_run(job.pk)
    return Job.objects.get(pk=job.pk)


def test_an_invitation_goes_after_the_commit_in_french_then_english(
    wave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emails_queue(
            links=links_of(wave, ["alice@alpha.example"]), kind="invitation", base_url="http://x"
        )
        assert not mail.outbox  # not before the commit
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.index("Bonjour") < body.index("— English —") < body.index("Hello")
    assert "http://x/repondre/" in body
    email = Email.objects.get()
    assert (email.status, email.attempts) == ("sent", 1) and email.sent_at is not None


def test_the_link_in_the_email_opens_the_questionnaire(client, wave):
    emails_queue(links=links_of(wave, ["alice@alpha.example"]), kind="invitation", base_url="")
    run_sending()
    path = mail.outbox[0].body.split("/repondre/")[1].split()[0]
    response = client.get("/repondre/" + path, follow=True)
    assert response.status_code == 200 and "Votre organisme" in response.content.decode()


def test_a_refused_address_is_bounced_and_the_others_go(wave, settings):
    settings.EMAIL_BACKEND = "tests.web.mail_servers.RefusingBackend"
    emails_queue(
        links=links_of(wave, ["a@alpha.example", "b@bounce.example", "c@alpha.example"]),
        kind="invitation",
        base_url="",
    )
    run_sending()
    statuses = dict(Email.objects.values_list("link__email", "status"))
    assert statuses == {
        "a@alpha.example": "sent",
        "b@bounce.example": "bounced",
        "c@alpha.example": "sent",
    }
    assert "550" in Email.objects.get(status="bounced").error


def test_an_unreachable_mail_server_postpones_then_gives_up(wave, settings):
    settings.EMAIL_BACKEND = "tests.web.mail_servers.UnreachableBackend"
    emails_queue(links=links_of(wave, ["a@alpha.example"]), kind="invitation", base_url="")
    job = run_sending()
    assert job.status == "done"  # the job ends; the e-mail waits for its next try
    email = Email.objects.get()
    assert email.status == "queued" and email.next_attempt_at > timezone.now()
    for _attempt in range(6):
        Email.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        run_sending()
    email.refresh_from_db()
    assert email.status == "failed" and "injoignable" in email.error


def test_an_email_interrupted_while_handed_over_is_never_sent_again(wave):
    emails_queue(
        links=links_of(wave, ["a@alpha.example", "b@alpha.example"]), kind="invitation", base_url=""
    )
    first = Email.objects.order_by("pk").first()
    Email.objects.filter(pk=first.pk).update(status="sending", attempts=1)  # a worker died here
    run_sending()
    statuses = dict(Email.objects.values_list("link__email", "status"))
    assert statuses == {"a@alpha.example": "uncertain", "b@alpha.example": "sent"}
    assert [m.to for m in mail.outbox] == [["b@alpha.example"]]


def test_a_link_revoked_before_its_email_is_not_sent(wave):
    (link,) = links_of(wave, ["a@alpha.example"])
    emails_queue(links=[link], kind="invitation", base_url="")
    link_revoke(link=link)
    run_sending()
    assert Email.objects.get().status == "failed" and not mail.outbox


def test_reminders_go_only_to_those_who_have_not_answered(wave):
    links = links_of(wave, ["done@alpha.example", "started@alpha.example", "silent@alpha.example"])
    emails_queue(links=links, kind="invitation", base_url="")
    run_sending()
    for link, submitted in ((links[0], True), (links[1], False)):
        Respondent.objects.create(
            wave=wave,
            organisation=link.organisation,
            role=link.role,
            link=link,
            submitted_at=timezone.now() if submitted else None,
        )
    mail.outbox.clear()
    assert reminders_queue(wave=wave, base_url="") == 2
    run_sending()
    assert sorted(m.to[0] for m in mail.outbox) == ["silent@alpha.example", "started@alpha.example"]
    assert all(m.subject.startswith("Relance") for m in mail.outbox)


def test_scheduled_reminders_are_due_after_the_waves_interval(
    wave, django_capture_on_commit_callbacks
):
    wave.remind_every_days = 7
    wave.save()
    emails_queue(links=links_of(wave, ["a@alpha.example"]), kind="invitation", base_url="http://x")
    run_sending()
    emails_tick()  # the invitation went today: no reminder yet
    assert Email.objects.filter(kind="reminder").count() == 0
    Email.objects.update(created_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        emails_tick()
    assert Email.objects.filter(kind="reminder", status="sent").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        emails_tick()  # just reminded: nothing more
    assert Email.objects.filter(kind="reminder").count() == 1


def test_a_job_is_run_once_and_a_silent_one_is_taken_again(wave, settings):
    settings.BAROMETRE_JOB_STALE_SECONDS = 60
    job = Job.objects.create(kind="emails")
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    job_run(job.pk)  # another worker holds it and beats: not run here
    assert Job.objects.get(pk=job.pk).attempts == 1
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert recover_jobs() == 1
    job_run(job.pk)  # its worker died: taken again, and finished
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_a_job_killed_three_times_is_given_up_and_says_so(wave):
    job = Job.objects.create(kind="emails", status="running", attempts=3)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "3 fois" in job.error


def test_a_connection_lost_mid_message_leaves_it_uncertain_and_sends_the_others(wave, settings):
    settings.EMAIL_BACKEND = "tests.web.mail_servers.DroppingBackend"
    emails_queue(
        links=links_of(wave, ["a@alpha.example", "drop@alpha.example", "c@alpha.example"]),
        kind="invitation",
        base_url="",
    )
    run_sending()
    statuses = dict(Email.objects.values_list("link__email", "status"))
    assert statuses == {
        "a@alpha.example": "sent",
        "drop@alpha.example": "uncertain",  # it may have gone: never sent again by itself
        "c@alpha.example": "sent",  # over a new connection
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["a@alpha.example", "c@alpha.example"]


def test_a_temporary_refusal_is_tried_again_not_bounced(wave, settings):
    settings.EMAIL_BACKEND = "tests.web.mail_servers.GreylistingBackend"
    emails_queue(links=links_of(wave, ["grey@alpha.example"]), kind="invitation", base_url="")
    run_sending()
    email = Email.objects.get()
    assert email.status == "queued" and email.next_attempt_at > timezone.now()
    assert "450" in email.error


def test_tokens_never_reach_the_log():
    import logging

    from barometre.web.config.errors import MaskTokens

    token = "xPlX_wYiDKJ5-NWFfgzsqnMWmPpOp31uCkVOea_7-t0"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/repondre/{token}/page/9/",),
        None,
    )
    MaskTokens().filter(record)
    assert record.getMessage() == "Not Found: /repondre/[lien]/page/9/"
