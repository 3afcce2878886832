"""Waves (yearly campaigns), their frame of organisations and their invitation links."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from barometre.web.campaigns.fields import ContractField
from barometre.web.organisations.models import Organisation

#: The columns of a wave's computed results: large, read only where they are used.
RESULT_FIELDS = ("scores", "estimates", "change")


class Wave(models.Model):
    """One yearly campaign. It keeps the exact questionnaire file it was run with."""

    class Status(models.IntegerChoices):
        DRAFT = 10, _("draft")
        OPEN = 20, _("open")
        CLOSED = 30, _("closed")
        COMPUTED = 40, _("computed")
        PUBLISHED = 50, _("published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    questionnaire_yaml = models.TextField()
    #: SHA-256 of `questionnaire_yaml`: the parsed questionnaire is cached under it, so that
    #: a request never reads the file's text again once the process has parsed it.
    questionnaire_digest = models.CharField(max_length=64, blank=True)
    questionnaire_id = models.CharField(max_length=64)
    questionnaire_version = models.CharField(max_length=32)
    methodology_version = models.CharField(max_length=32)
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The results of the computation, as the core's typed files (`barometre.contracts`).
    scores = ContractField(contract="scores", null=True, blank=True)
    estimates = ContractField(contract="estimates", null=True, blank=True)
    change = ContractField(contract="change", null=True, blank=True)
    estimate_problem = models.TextField(blank=True)
    #: Remind those who have not answered every this many days (0: only when the operator asks).
    remind_every_days = models.PositiveSmallIntegerField(default=0)
    #: When the wave was last closed (None while draft or open): the e-mail addresses of its
    #: links are erased `BAROMETRE_EMAIL_RETENTION_DAYS` later (`erase_expired_emails`).
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Respondents whose data were erased since the results were computed: the stored results
    #: still include their answers until the wave is computed again (docs/privacy.md).
    erased_since_computation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class FrameEntry(models.Model):
    """An organisation of the wave's frame, with the attributes used for weighting."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="frame")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="frame_entries"
    )
    organisation_type = models.CharField(max_length=8)
    dwellings = models.PositiveIntegerField()
    department = models.CharField(max_length=3)
    region = models.CharField(max_length=3)
    size_class = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "organisation"], name="one_frame_entry")
        ]


class AccessLink(models.Model):
    """A personal link sent by e-mail. Only a hash of its token is stored.

    A respondent link opens the questionnaire (no password); a referent link lets the
    organisation's referent create an account. Links expire and can be revoked.

    The e-mail address lives here only, never with the answers (a respondent is known by its
    pseudonym): erasing it (`email` set to "", `email_erased_at` set) leaves the answers
    untouched and cuts the tie between them and the person.
    """

    class Kind(models.TextChoices):
        RESPONDENT = "respondent", _("respondent")
        REFERENT = "referent", _("referent")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    role = models.CharField(max_length=16, blank=True)
    email = models.EmailField(blank=True)
    #: When the address was erased (retention after the wave closed, docs/privacy.md).
    email_erased_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    #: The token is derived from this random salt and the server's secret key (see
    #: `tokens.py`), so that a queued e-mail can carry the link without the token being stored.
    token_salt = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)


class Email(models.Model):
    """One e-mail to send for a link (its invitation or a reminder), sent by a background task.

    The status says what happened to it; an e-mail interrupted while it was being handed to
    the mail server is never sent again by itself (it may have gone): it is marked
    `uncertain` for a person to decide.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        REMINDER = "reminder", _("reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        UNCERTAIN = "uncertain", _("interrupted: may not have been sent")

    link = models.ForeignKey(AccessLink, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    #: The site's address for the link in the message (the request's, or BAROMETRE_SITE_URL).
    base_url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    #: A failed attempt (mail server unreachable) is tried again after this time.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="email_status")]
