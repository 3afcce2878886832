"""The API's operations, one router per resource; `responses` lists each one's answers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from barometre.web.api.errors import ProblemDetails

#: The problems every operation may answer: a request the server cannot read (400), a token
#: refused (401), parameters with problems (422), too many requests (429), a server error
#: (500) or the database unavailable (503).
COMMON_ERRORS = (400, 401, 422, 429, 500, 503)


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The answers of an operation: `ok` and the problems (`COMMON_ERRORS` and `errors`)."""
    found: dict[int, Any] = dict(ok)
    for status in sorted({*COMMON_ERRORS, *errors}):
        found[status] = ProblemDetails
    return found


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


#: For an operation that anyone may call: without a token, or with one.
PUBLIC_SECURITY: dict[str, Any] = {"security": [{}]}
