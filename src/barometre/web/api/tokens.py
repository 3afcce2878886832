"""Making, checking and revoking personal API tokens.

A token is `brm_` and 43 characters of a 32-byte random secret (256 bits). The database keeps
its SHA-256 only, and a short prefix that lets its owner recognise it; the token itself is
shown once, when it is made, and never again. A request's token is looked up by its hash, and
the stored hash compared again in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from barometre.web.api.models import ApiToken
from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record

#: What every token starts with: it says what the secret is for when one leaks.
TOKEN_PREFIX = "brm_"
#: Characters of the token kept in clear, to recognise it (the prefix and 8 of the secret).
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 8


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token of `user`, named `name`; returns it with its secret, shown only once."""
    secret = new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:SHOWN_CHARACTERS],
        secret_hash=hash_secret(secret),
    )
    record(action=AuditEntry.Action.API_TOKEN_CREATE, user=user, target=token.prefix)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token: it stops opening the API at once. Revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action=AuditEntry.Action.API_TOKEN_REVOKE, user=by, target=token.prefix)
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token of this secret with its person (an active account), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    digest = hash_secret(secret)
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(secret_hash=digest, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    today = timezone.localdate()
    if token.last_used_on != today:  # one write a day at most: a date, never a log
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    return token


def tokens_of(*, user) -> list[ApiToken]:
    """A person's tokens, newest first, the revoked ones included (they say when)."""
    return list(ApiToken.objects.filter(user=user))
