"""One error shape for the whole API: `application/problem+json` (RFC 9457).

Every error under `/api/` is a `ProblemDetails`: `type` (a URN naming the kind of problem),
`title`, `status`, `detail`, `instance` (the path asked for), and `errors`, the list of every
problem found in the request (`location`, `code`, `message`), empty when there is none to
list. Titles, details and messages are in the reader's language (`Accept-Language`, French by
default). Errors raised by the views (`ApiProblem`), by the core (`InputError`: every problem
with its location), by django-ninja (validation, authentication, throttling) and by Django
itself (an unknown route, a method not allowed, a server error: `ApiProblemMiddleware`) all
take this shape; never a traceback, never an HTML page.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field

from barometre.errors import Code, InputError, Problem, problem

logger = logging.getLogger("barometre.api")

PROBLEM_JSON = "application/problem+json"
#: Every kind of problem is named by a URN of this form (`urn:barometre:problem:not-found`).
TYPE_PREFIX = "urn:barometre:problem:"
API_PREFIX = "/api/"


class ProblemItem(Schema):
    """One problem found in the request: where, which rule (a problem code), what to fix."""

    location: str = Field(description="Where: a parameter, a field, a file and its line.")
    code: str = Field(description="The problem code (docs/problem-codes.md).")
    message: str = Field(description="The problem in the reader's language.")


class ProblemDetails(Schema):
    """An error (RFC 9457): what kind, in a sentence, and every problem found."""

    type: str = Field(description="A URN naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path of the request.")
    errors: list[ProblemItem] = Field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """A kind of problem: its name in `type`, its status, its title and default detail."""

    slug: str
    status: int
    title: Callable[[], str]
    detail: Callable[[], str]


# The texts are functions: they are translated in the language of each request.
BAD_REQUEST = Kind(
    "bad-request",
    400,
    lambda: _("The request cannot be understood"),
    lambda: _("The server cannot read what the request sent."),
)
UNAUTHENTICATED = Kind(
    "unauthenticated",
    401,
    lambda: _("Authentication required"),
    lambda: _("This needs an API token, sent as the header “Authorization: Bearer <token>”."),
)
INVALID_TOKEN = Kind(
    "invalid-token",
    401,
    lambda: _("The API token is not valid"),
    lambda: _("This token is unknown or was revoked. Make a new one on your page of API tokens."),
)
FORBIDDEN = Kind(
    "forbidden",
    403,
    lambda: _("Access refused"),
    lambda: _("The account of this token is not allowed to do this."),
)
NOT_FOUND = Kind(
    "not-found",
    404,
    lambda: _("Not found"),
    lambda: _("Nothing is at this address, or nothing the caller may see."),
)
METHOD_NOT_ALLOWED = Kind(
    "method-not-allowed",
    405,
    lambda: _("Method not allowed"),
    lambda: _("This address does not accept this method (see the header Allow)."),
)
CONFLICT = Kind(
    "conflict",
    409,
    lambda: _("Not possible now"),
    lambda: _("The state of the wave does not allow this now."),
)
INVALID = Kind(
    "invalid",
    422,
    lambda: _("The request has problems"),
    lambda: _("Nothing was done: every problem is listed in errors."),
)
TOO_MANY_REQUESTS = Kind(
    "too-many-requests",
    429,
    lambda: _("Too many requests"),
    lambda: _("Wait before the next request (see the header Retry-After)."),
)
SERVER_ERROR = Kind(
    "server-error",
    500,
    lambda: _("Something went wrong"),
    lambda: _("The server met an unexpected error; it has been recorded for the team to fix."),
)
UNAVAILABLE = Kind(
    "unavailable",
    503,
    lambda: _("The service is unavailable for a moment"),
    lambda: _("The database cannot be reached right now. Try again in a few minutes."),
)
KINDS = (
    BAD_REQUEST,
    UNAUTHENTICATED,
    INVALID_TOKEN,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    CONFLICT,
    INVALID,
    TOO_MANY_REQUESTS,
    SERVER_ERROR,
    UNAVAILABLE,
)
_BY_STATUS = {kind.status: kind for kind in KINDS if kind is not INVALID_TOKEN}


class ApiProblem(Exception):
    """Raised by a view: answered as the problem of `kind`, with `detail` (translated) and
    the core's `problems`, each with its location."""

    def __init__(self, kind: Kind, detail: str | None = None, problems: Iterable[Problem] = ()):
        super().__init__(detail or kind.slug)
        self.kind = kind
        self.detail = detail
        self.problems = list(problems)


def item(found: Problem) -> ProblemItem:
    """A core problem in the reader's language."""
    return ProblemItem(location=found.location, code=str(found.code), message=found.localized(_))


def problem_response(
    request: HttpRequest,
    kind: Kind,
    detail: str | None = None,
    problems: Iterable[Problem] = (),
) -> HttpResponse:
    body = ProblemDetails(
        type=TYPE_PREFIX + kind.slug,
        title=kind.title(),
        status=kind.status,
        detail=detail or kind.detail(),
        instance=request.path,
        errors=[item(found) for found in problems],
    )
    response = HttpResponse(
        json.dumps(body.model_dump(), ensure_ascii=False),
        status=kind.status,
        content_type=f"{PROBLEM_JSON}; charset=utf-8",
    )
    if kind.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="barometre"'
    return response


def _problems_detail(problems: list[Problem]) -> str:
    return ngettext(
        "%(n)s problem found; nothing was done.",
        "%(n)s problems found; nothing was done.",
        len(problems),
    ) % {"n": len(problems)}


def invalid_response(request: HttpRequest, problems: list[Problem]) -> HttpResponse:
    return problem_response(request, INVALID, _problems_detail(problems), problems)


# --- ninja's validation errors as problem codes ---------------------------------------------

#: pydantic's error types whose limit a message names, and where the limit is in the error.
_TOO_SMALL = {"greater_than_equal": "ge", "greater_than": "gt"}
_TOO_LARGE = {"less_than_equal": "le", "less_than": "lt", "too_long": "max_length"}


#: The name every operation gives its JSON body parameter (`body: InvitationsIn`); ninja puts
#: it in the location of an error of the body, `("body", "body", "invitations", 0, "email")`,
#: and so did older versions with their own wrapper, `payload`. A body is one JSON object, so
#: the name says nothing to a client: `body.invitations.0.email`.
BODY_PARAMETER = "body"
_WRAPPERS = frozenset({BODY_PARAMETER, "payload"})
#: pydantic names the branch of a union that an error comes from after the field:
#: `("table", "literal['organisations','items']")`, `("x", "int")`, `("x", "function-after[...]")`.
_UNION_TAG = re.compile(r"[a-z][a-z_-]*\[.*\]", re.DOTALL)
_SCALAR_TAGS = frozenset({"int", "str", "float", "bool", "none", "bytes"})
#: A value in pydantic's list of expected values (`'csv', 'xlsx' or 'sav'`, `1 or 2`).
_EXPECTED_VALUE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?\d+(?:\.\d+)?")


def _location(loc: Iterable[object]) -> tuple[str, bool]:
    """Where an error is, as a client names it (`body.invitations.0.email`, `query.limit`),
    and whether it is one branch of a union (a tag was left out)."""
    parts = [str(part) for part in loc]
    if len(parts) >= 2 and parts[0] in ("body", "form", "file") and parts[1] in _WRAPPERS:
        parts.pop(1)
    kept = [part for part in parts[1:] if not _is_union_tag(part)]
    branched = len(kept) < len(parts) - 1
    return ".".join(parts[:1] + kept), branched


def _is_union_tag(part: str) -> bool:
    return part in _SCALAR_TAGS or _UNION_TAG.fullmatch(part) is not None


def _choices(errors: Iterable[dict]) -> str:
    """The values the errors expect, each once, in their order: `'csv', 'xlsx', 'all'` (no
    English "or": the list is read in French too)."""
    values: dict[str, None] = {}
    for error in errors:
        expected = str((error.get("ctx") or {}).get("expected", ""))
        for value in _EXPECTED_VALUE.findall(expected) or ([expected] if expected else []):
            values.setdefault(value)
    return ", ".join(values)


def validation_problems(errors: Iterable[dict]) -> list[Problem]:
    """The pydantic errors of a request as problems, the branches of a union merged into one
    problem at the field (every allowed value listed when the branches are choices)."""
    found: list[Problem | str] = []
    branches: dict[str, list[dict]] = {}
    for error in errors:
        where, branched = _location(error.get("loc", ()))
        if not branched:
            found.append(validation_problem(error, where))
        elif where in branches:
            branches[where].append(error)
        else:
            branches[where] = [error]
            found.append(where)
    return [
        entry if isinstance(entry, Problem) else _union_problem(entry, branches[entry])
        for entry in found
    ]


def _union_problem(where: str, errors: list[dict]) -> Problem:
    parameter = _parameter(where)
    if all(str(error.get("type")) in ("literal_error", "enum") for error in errors):
        return problem(where, Code.API_NOT_ONE_OF, parameter=parameter, choices=_choices(errors))
    if len(errors) == 1:
        return validation_problem(errors[0], where)
    return problem(where, Code.API_INVALID, parameter=parameter)


def _parameter(where: str) -> str:
    """The name of what is wrong: the last named part of its location (`email` for
    `body.invitations.0.email`, `invitations` for `body.invitations.0`)."""
    named = [part for part in where.split(".")[1:] if not part.isdigit()]
    return named[-1] if named else (where or "body")


def validation_problem(error: dict, where: str | None = None) -> Problem:
    """One pydantic error of a request, as a problem with a code and a translatable text."""
    if where is None:
        where, _branched = _location(error.get("loc", ()))
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    parameter = _parameter(where)
    if kind == "missing":
        return problem(where, Code.API_MISSING, parameter=parameter)
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return problem(where, Code.API_NOT_AN_INTEGER, parameter=parameter)
    if kind in ("bool_parsing", "bool_type"):
        return problem(where, Code.API_NOT_A_BOOLEAN, parameter=parameter)
    if kind in _TOO_SMALL:
        return problem(
            where, Code.API_TOO_SMALL, parameter=parameter, limit=context.get(_TOO_SMALL[kind], "")
        )
    if kind in _TOO_LARGE:
        return problem(
            where, Code.API_TOO_LARGE, parameter=parameter, limit=context.get(_TOO_LARGE[kind], "")
        )
    if kind == "string_too_long":
        return problem(
            where, Code.API_TOO_LONG, parameter=parameter, limit=context.get("max_length", "")
        )
    if kind == "string_too_short":
        return problem(
            where, Code.API_TOO_SHORT, parameter=parameter, limit=context.get("min_length", "")
        )
    if kind == "too_short":  # a list that needs entries
        return problem(where, Code.API_EMPTY_LIST, parameter=parameter)
    if kind in ("literal_error", "enum"):
        return problem(where, Code.API_NOT_ONE_OF, parameter=parameter, choices=_choices([error]))
    if kind == "json_invalid":
        return problem(where, Code.API_NOT_JSON)
    return problem(where, Code.API_INVALID, parameter=parameter)


# --- handlers, registered on the API ---------------------------------------------------------


def on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc.kind, exc.detail, exc.problems)


def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return invalid_response(request, validation_problems(exc.errors))


def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    return invalid_response(request, exc.problems)


def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    has_token = request.headers.get("Authorization", "").strip() != ""
    return problem_response(request, INVALID_TOKEN if has_token else UNAUTHENTICATED)


def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem_response(request, TOO_MANY_REQUESTS)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and request.content_type == "application/json":
        # ninja could not parse the body
        return problem_response(request, BAD_REQUEST, problems=[problem("body", Code.API_NOT_JSON)])
    return problem_response(request, _BY_STATUS.get(exc.status_code, BAD_REQUEST))


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, NOT_FOUND)


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, FORBIDDEN)


def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("database unavailable for %s: %s", request.path, exc)
    response = problem_response(request, UNAVAILABLE)
    response["Retry-After"] = "10"
    return response


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(request, SERVER_ERROR)


HANDLERS: tuple[tuple[type[Exception], Callable], ...] = (
    (ApiProblem, on_api_problem),
    (ValidationError, on_validation),
    (InputError, on_input_error),
    (AuthenticationError, on_authentication),
    (Throttled, on_throttled),
    (HttpError, on_http_error),
    (Http404, on_not_found),
    (PermissionDenied, on_permission_denied),
    (OperationalError, on_database_unavailable),
    (InterfaceError, on_database_unavailable),
    (Exception, on_unexpected),
)


# --- anything else under /api/ ----------------------------------------------------------------


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class ApiProblemMiddleware:
    """Under `/api/`, an error answered by Django rather than by the API (an unknown route,
    a method the route does not take, a server error, the database unavailable) becomes the
    problem of its status, so that a client never meets an HTML page or a traceback. The
    answer to a HEAD (a GET operation, `api.answer_head`) loses its body, headers kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_api(request) and request.method == "HEAD":
            return _without_body(self._problem(request, response))
        return self._problem(request, response)

    def _problem(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_JSON):
            return response
        kind = _BY_STATUS.get(response.status_code)
        if kind is None:
            kind = SERVER_ERROR if response.status_code >= 500 else BAD_REQUEST
        replaced = problem_response(request, kind)
        for header in ("Allow", "Retry-After"):
            if header in response:
                replaced[header] = response[header]
        return replaced


def _without_body(response: HttpResponseBase) -> HttpResponseBase:
    """The answer to a HEAD: the GET's headers (its `Content-Length` too), no body. A file
    being streamed is closed unread."""
    if isinstance(response, StreamingHttpResponse):
        response.close()
        response.streaming_content = iter(())
    elif isinstance(response, HttpResponse):
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        length = response["Content-Length"]
        response.content = b""
        response["Content-Length"] = length
    return response
