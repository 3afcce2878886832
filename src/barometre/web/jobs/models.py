"""Long work done by a background worker, with its progress for the person who asked."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from barometre.web.campaigns.models import Wave


class Job(models.Model):
    """One piece of long work (the reports of a wave, its computation, e-mails to send...).

    The queue only carries the job's id: the job itself, its progress and its outcome live
    here, so that the operator's page can show them and a job whose worker died is found and
    run again (`recover_jobs`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=32)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="jobs", null=True)
    params = models.JSONField(default=dict, blank=True)
    #: The queue its task goes to ("default", or "emails" so that they never wait behind
    #: long reports).
    queue = models.CharField(max_length=32, default="default")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: Last sign of life of the worker running the job; a running job silent for longer than
    #: `stale_after()` died with its worker and is run again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    output = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"], name="job_status_kind")]

    @property
    def active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
