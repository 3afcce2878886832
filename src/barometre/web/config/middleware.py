"""Pages are private by default: `Cache-Control: no-store` on every response but an
allow-list of public ones, so that no browser, proxy or shared computer keeps a respondent's
answers, a referent's results, an operator's screens or a personal link's page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

#: The pages anyone may read, the same for everyone: they may be cached (URL names).
PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "public:index",
        "public:sector",
        "public:sector_pdf",
        "method",
        "method_questionnaire",
        # issue 12: open data and the questionnaire's files (published waves only)
        "public:opendata",
        "public:questionnaire_yaml",
        "public:questionnaire_xlsform",
        "public:questionnaire_pdf",
        "method_questionnaire_xlsform",
        "method_questionnaire_pdf",
    }
)


def is_public(request: HttpRequest) -> bool:
    """Whether the response to `request` is a public page (or a static file)."""
    if settings.STATIC_URL and request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    match = request.resolver_match
    return match is not None and match.view_name in PUBLIC_URL_NAMES


class PrivateByDefaultMiddleware:
    """`Cache-Control: no-store, private` on every response not on the public allow-list."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_public(request):
            patch_cache_control(response, no_store=True, private=True)
        return response
