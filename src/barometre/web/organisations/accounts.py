"""Accounts: sign-in throttling, password change, password reset by e-mail.

Throttling is django-axes with the settings of `config/settings/base.py`: a lock per account
(the e-mail typed, in lower case) after a few wrong passwords, lifted by itself after a
cool-off, counted in the database so that every web process sees the same attempts. The
client's address is never read (`no_client_address`), so none is stored.

The password reset e-mail is a job (`password_reset_email`), sent by the worker like every
other e-mail: its link is made when the e-mail is sent, from the user's id, and is never
stored. Completing a reset lifts the account's lock.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from barometre.web.jobs.models import Job
from barometre.web.jobs.services import JobFailed, Progress, job_start

logger = logging.getLogger("barometre.accounts")

#: The job kind of a password reset e-mail (web/jobs/registry.py).
PASSWORD_RESET_EMAIL = "password_reset_email"
#: Its queue: e-mails never wait behind a wave's reports.
EMAIL_QUEUE = "emails"
#: At most one reset e-mail per account in this many minutes.
RESET_EMAIL_MINUTES = 5


# ---- sign-in throttling (django-axes callables) ------------------------------------------
def no_client_address(request) -> None:
    """The client's address for axes: never read, so that none is stored or logged."""
    return None


def signin_username(request, credentials: dict | None) -> str | None:
    """The account an attempt counts against: the e-mail as typed, trimmed, in lower case, so
    that changing its case does not buy more attempts."""
    username = credentials.get("username") if credentials else request.POST.get("username")
    if not isinstance(username, str):
        return None
    # no account name is longer than 150 (the user model's); axes' column holds 255
    return username.strip().lower()[:255] or None


def lock_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def signin_locked(request, original_response=None, credentials=None):
    """The sign-in page again, saying that the account is locked and for how long (429)."""
    username = signin_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked": True,
            "lock_minutes": lock_minutes(),
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )


# ---- password reset ------------------------------------------------------------------------
def site_base_url(request) -> str:
    """The site's address for links in e-mails: BAROMETRE_SITE_URL, else the request's."""
    return settings.BAROMETRE_SITE_URL or request.build_absolute_uri("/").rstrip("/")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose e-mail is a job for the worker instead of being sent by
    the web process (a mail server down never fails the page). The page says the same
    whether or not an account has this address."""

    def save(self, *, base_url: str, **_kwargs) -> None:  # type: ignore[override]
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_email_queue(user=user, base_url=base_url)


def password_reset_email_queue(*, user, base_url: str) -> Job | None:
    """Queue the reset e-mail of this user (sent after the current transaction commits);
    None when one was already asked for in the last RESET_EMAIL_MINUTES, so that the form
    cannot be used to flood someone's mailbox (the page says the same either way)."""
    recent = timezone.now() - timedelta(minutes=RESET_EMAIL_MINUTES)
    with transaction.atomic():
        if Job.objects.filter(
            kind=PASSWORD_RESET_EMAIL, params__user_id=user.pk, created_at__gte=recent
        ).exists():
            return None
        return job_start(
            kind=PASSWORD_RESET_EMAIL,
            params={"user_id": user.pk, "base_url": base_url.rstrip("/")},
            queue=EMAIL_QUEUE,
            unique=False,
        )


def password_reset_message(*, user, base_url: str) -> EmailMessage:
    """The reset e-mail, in French then in English, with a link valid once (Django's token,
    which a new password or a new sign-in invalidates) for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    values = {
        "url": base_url + path,
        "email": user.email,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    parts = []
    for language in ("fr", "en"):
        with translation.override(language):
            subject = _("Digital maturity barometer: choose a new password")
            body = (
                _(
                    "Hello,\n\nSomeone asked to choose a new password for the account "
                    "%(email)s of the digital maturity barometer of social housing. If it was "
                    "you, follow this link (valid for %(hours)s hours, once):\n\n%(url)s\n\n"
                    "If it was not you, ignore this e-mail: your password does not change."
                )
                % values
            )
            parts.append((subject, body))
    return EmailMessage(
        parts[0][0], parts[0][1] + "\n\n— English —\n\n" + parts[1][1], to=[user.email]
    )


def send_password_reset_email(job: Job, progress: Progress) -> str:
    """The job of a password reset e-mail."""
    user = get_user_model().objects.filter(pk=job.params.get("user_id"), is_active=True).first()
    if user is None or not user.email:
        raise JobFailed(_("The account no longer exists: no e-mail was sent."))
    password_reset_message(user=user, base_url=job.params["base_url"]).send()
    return ""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        form.save(base_url=site_base_url(self.request))
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password also lifts the lock of the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        username = signin_username(None, {"username": form.user.get_username()})
        if username:  # (axes' reset without a username would reset every account)
            axes_reset(username=username)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")
