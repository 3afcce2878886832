"""Invitation tokens: 256 bits in the link, only their SHA-256 in the database.

A token is the HMAC-SHA256, under the server's secret key, of a random salt stored with the
link. The database alone therefore gives no link (it holds the salt and the token's hash,
not the token), while a background task can still put the link in an e-mail, or a reminder,
long after the link was made. Changing the secret key leaves links already sent working (they
are looked up by hash) but makes their reminders impossible: those need new links.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for_salt(salt: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), f"barometre.link:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
