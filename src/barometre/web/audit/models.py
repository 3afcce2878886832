"""The audit log of operator actions. Rows are only ever added (docs/privacy.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from barometre.web.campaigns.models import Wave


class AuditEntryChanged(RuntimeError):
    """An entry of the audit log was to be changed or deleted: it never is."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEntryChanged("audit entries are never changed")

    def delete(self):
        raise AuditEntryChanged("audit entries are never deleted")


class AuditEntry(models.Model):
    """One operator action: who, what, on which wave and target, when.

    Never an IP address, never a respondent's e-mail address: a respondent is named by their
    pseudonym. `user_label` keeps who it was when their account is deleted."""

    class Action(models.TextChoices):
        WAVE_CREATE = "wave_create", _("wave created")
        WAVE_OPEN = "wave_open", _("wave opened")
        WAVE_CLOSE = "wave_close", _("wave closed")
        WAVE_REOPEN = "wave_reopen", _("wave reopened")
        WAVE_COMPUTE = "wave_compute", _("computation started")
        WAVE_PUBLISH = "wave_publish", _("sector barometer published")
        REFERENTS_INVITE = "referents_invite", _("referents invited (file uploaded)")
        REMINDERS_SEND = "reminders_send", _("reminders sent")
        REMINDERS_SCHEDULE = "reminders_schedule", _("reminder schedule changed")
        EMAILS_RESEND = "emails_resend", _("failed e-mails sent again")
        COLLEAGUE_INVITE = "colleague_invite", _("respondent invited for an organisation")
        LINK_REVOKE = "link_revoke", _("link revoked")
        MEMBERSHIP_END = "membership_end", _("referent's access ended")
        REPORTS_MAKE = "reports_make", _("organisation reports started")
        REPORTS_DOWNLOAD = "reports_download", _("reports archive downloaded")
        RESPONDENT_LOOKUP = "respondent_lookup", _("personal data looked up")
        RESPONDENT_EXPORT = "respondent_export", _("personal data exported")
        RESPONDENT_ERASE = "respondent_erase", _("personal data erased")
        ACCOUNT_ERASE = "account_erase", _("user account deleted (personal data erased)")
        EMAILS_RETENTION = "emails_retention", _("e-mail addresses erased (retention)")
        API_TOKEN_CREATE = "api_token_create", _("API token created")
        API_TOKEN_REVOKE = "api_token_revoke", _("API token revoked")
        EXPORT_REQUEST = "export_request", _("wave export requested")
        EXPORT_DOWNLOAD = "export_download", _("wave export downloaded")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    #: The user name at the time, or the command that acted ("command erase_expired_emails").
    user_label = models.CharField(max_length=254)
    action = models.CharField(max_length=32, choices=Action.choices)
    wave = models.ForeignKey(
        Wave, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    #: The wave's year, kept if the wave is ever deleted.
    wave_year = models.PositiveSmallIntegerField(null=True, blank=True)
    #: What the action was on: a file name, respondents' pseudonyms... never an e-mail address.
    target = models.CharField(max_length=500, blank=True)
    #: How many things it touched (links invited, reminders queued, addresses erased...).
    count = models.PositiveIntegerField(null=True, blank=True)
    #: Anything else worth keeping, in neutral words (a number of days, a job's id).
    detail = models.CharField(max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["wave", "at"], name="audit_wave_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEntryChanged("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryChanged("audit entries are never deleted")
