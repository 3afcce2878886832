"""Rate limits: so many requests a minute per token, and per anonymous client.

An anonymous client is known by a keyed hash of its address (HMAC-SHA256 under the server's
secret key), never by the address itself, and only in the cache, for the one minute of its
count: no address is stored anywhere (docs/privacy.md). Counts are kept in Django's cache
(per process unless a shared cache is configured). A request over the limit gets a 429
problem with `Retry-After`, the seconds until the minute ends.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from barometre.web.api.auth import caller

WINDOW_SECONDS = 60


def anonymous_per_minute() -> int:
    return int(getattr(settings, "BAROMETRE_API_ANONYMOUS_PER_MINUTE", 60))


def token_per_minute() -> int:
    return int(getattr(settings, "BAROMETRE_API_TOKEN_PER_MINUTE", 600))


def client_key(request: HttpRequest) -> tuple[str, int]:
    """The key a request is counted under, and its limit a minute."""
    found = caller(request)
    if found.token is not None:
        return f"t{found.token.pk}", token_per_minute()
    address = request.META.get("REMOTE_ADDR", "") or ""
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), f"api-rate:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"a{digest}", anonymous_per_minute()


class RateLimit(BaseThrottle):
    """A fixed window of a minute per client (`client_key`)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        key, limit = client_key(request)
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        cache_key = f"api-rate:{key}:{window}"
        cache.add(cache_key, 0, timeout=WINDOW_SECONDS + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between the two calls: a new window
            cache.set(cache_key, 1, timeout=WINDOW_SECONDS + 1)
            count = 1
        self._local.wait = (window + 1) * WINDOW_SECONDS - now
        return count <= limit

    def wait(self) -> float | None:
        return max(1, math.ceil(getattr(self._local, "wait", WINDOW_SECONDS)))
