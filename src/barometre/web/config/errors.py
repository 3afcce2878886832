"""The error pages a person can meet, in the product's layout and language, each saying what
to do next; and the answer given when the database cannot be reached. No traceback ever
reaches a user: every server error is logged with its cause instead (`LOGGING`)."""

from __future__ import annotations

import logging
import re
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("barometre.errors")

#: A personal link's token in an address: never written to a log.
_TOKEN_IN_PATH = re.compile(r"(/(?:repondre|invitation)/)[A-Za-z0-9_-]{16,}")


def mask_tokens(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[lien]", text)


class MaskTokens(logging.Filter):
    """Log records with the tokens of personal links masked (a log is read by more people
    than the link was meant for)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


#: Requests answered in JSON (the autosave script): an error is JSON for them too.
JSON_SUFFIXES = ("/reponse/", "/etat/")


def _texts(status: int) -> tuple[str, str, str]:
    if status == 400:
        return (
            _("This request cannot be understood"),
            _("The page sent something the server cannot read."),
            _("Go back, reload the page and try again."),
        )
    if status == 403:
        return (
            _("Access refused"),
            _("You are not allowed to see this page with the account you are signed in with."),
            _("Sign in with another account, or ask the operator of the barometer for access."),
        )
    if status == 404:
        return (
            _("Page not found"),
            _("This address does not lead to any page of the barometer."),
            _("Check the address, or start again from the home page."),
        )
    if status == 503:
        return (
            _("The service is unavailable for a moment"),
            _("The database cannot be reached right now."),
            _(
                "Your answers already saved are safe, and those not saved yet are kept by your "
                "browser on this device. Try again in a few minutes with the same link."
            ),
        )
    return (
        _("Something went wrong"),
        _("The server met an unexpected error; it has been recorded for the team to fix."),
        _("Your answers already saved are safe. Go back and try again in a moment."),
    )


def wants_json(request: HttpRequest) -> bool:
    return request.path.endswith(JSON_SUFFIXES)


def error_response(request: HttpRequest, status: int, message: str | None = None) -> HttpResponse:
    title, default_message, advice = _texts(status)
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "error": message or default_message, "retry": status >= 500},
            status=status,
        )
    context = {
        "title": title,
        "message": message or default_message,
        "advice": advice,
        "status": status,
    }
    html: str
    try:
        html = loader.render_to_string("errors/error.html", context, request=request)
    except Exception:  # the page itself failed (a database down under a context processor)
        logger.exception("the error page %s could not be rendered", status)
        html = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{advice}</p>"
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    # Django calls this while handling the exception: a database that went away is said so.
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return error_response(request, 503)
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    return error_response(
        request,
        403,
        _("This page has expired (its security token is no longer valid)."),
    )


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives a clear page (or JSON that tells the autosave
    script to keep the answers and try again), not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._unavailable(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        logger.error("database unavailable for %s: %s", request.path, exc)
        response = error_response(request, 503)
        response["Retry-After"] = "10"
        return response
