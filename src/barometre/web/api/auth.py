"""Who calls: a person by their API token (`Authorization: Bearer <token>`), or nobody.

The API knows callers by token only. A browser's session is not read (an API call never acts
with the cookies of a signed-in browser, so cross-site request forgery has nothing to ride
on); the web's own pages keep their sessions and CSRF protection. A token acts with exactly
its person's permissions: an operator (staff account) or a referent of the organisations they
are a current member of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from barometre.web.api.errors import FORBIDDEN, ApiProblem
from barometre.web.api.models import ApiToken
from barometre.web.api.tokens import token_for_secret


@dataclass(frozen=True)
class Caller:
    """The person a request acts for (an anonymous user without a token) and the token."""

    user: Any
    token: ApiToken | None = None

    @property
    def is_operator(self) -> bool:
        return bool(self.user.is_authenticated and self.user.is_staff)


class TokenAuth(HttpBearer):
    """A token is required (`required`), or optional: without the header the caller is
    anonymous. A header with a token unknown, revoked or of an inactive account is refused
    (401), never taken for an anonymous call."""

    def __init__(self, *, required: bool = True):
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest) -> Caller | None:
        value = request.headers.get(self.header, "").strip()
        if not value:
            return None if self.required else Caller(user=AnonymousUser())
        scheme, _space, secret = value.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = token_for_secret(token)
        if found is None:
            raise AuthenticationError()
        return Caller(user=found.user, token=found)


class OperatorAuth(TokenAuth):
    """An operator's token only: anyone else's is refused (403) before their request is even
    read, so that nobody learns from its validation what an operator's write takes."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = super().authenticate(request, token)
        if not found.is_operator:
            raise ApiProblem(FORBIDDEN)
        return found


REQUIRED = TokenAuth(required=True)
OPTIONAL = TokenAuth(required=False)
OPERATOR = OperatorAuth(required=True)


def caller(request: HttpRequest) -> Caller:
    """The caller the API's authentication found for this request."""
    found = getattr(request, "auth", None)
    return found if isinstance(found, Caller) else Caller(user=AnonymousUser())
