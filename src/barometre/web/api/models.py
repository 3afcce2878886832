"""Personal API tokens: a person's key to the API, with exactly that person's permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        """The tokens that still open the API (not revoked)."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A named token of one person. Only the SHA-256 of its secret is stored (the secret is
    shown once, when it is made); `prefix` is its first characters, to recognise it in a list.

    No address, no user agent, no log of requests: `last_used_on` is a date, written at most
    once a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
