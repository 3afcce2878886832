"""Who may reach every URL of the API, and of the page of API tokens.

`API_RULES` is part of the site's permission matrix (`tests/web/test_permission_matrix.py`
requires a rule for every named URL, these included). Each rule says, per method, which
personas reach the URL; every persona is tried on it with every method, and the others must
be turned away: 401 without a token, 403 or 404 (a thing one may not see does not exist),
405 for a method the URL never takes — never a page. The API's personas carry their token
(`Authorization: Bearer`); the page of tokens is a web page, tried with a session.

Personas: the anonymous caller; Rémi, referent of SYN-0001; Sofia, referent of SYN-0002;
Olivia, the operator (tests/web/api/conftest.py). Waves: 2025 published, 2026 open, 2027 a
draft. A job: an export of SYN-0001 that Rémi asked for (he alone may see and download it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from barometre.web.api.models import ApiToken
from tests.web.api.conftest import World, bearer
from tests.web.test_exports_web import export_job_done

ANONYMOUS, REFERENT, OTHER, OPERATOR = "anonymous", "referent", "other", "operator"
PERSONAS = (ANONYMOUS, REFERENT, OTHER, OPERATOR)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = frozenset({REFERENT, OTHER, OPERATOR})
ORGANISATION = frozenset({REFERENT, OPERATOR})
STAFF = frozenset({OPERATOR})
NOBODY: frozenset[str] = frozenset()
METHODS = ("GET", "POST")


@dataclass(frozen=True)
class ApiRule:
    """`allowed[method]`: the personas who reach the URL by that method (a method absent:
    nobody). `session`: a web page, tried with the personas signed in rather than tokens."""

    allowed: dict[str, frozenset[str]]
    kwargs: Callable[[Ids], dict] = lambda ids: {}
    session: bool = False


@dataclass
class Ids:
    job_id: int = 0
    token_id: int = 0
    secrets: dict[str, str] = field(default_factory=dict)


API_RULES: dict[str, ApiRule] = {
    "api:openapi-json": ApiRule({"GET": EVERYONE}),
    "api:api-root": ApiRule({}),  # the API's root answers nothing (404 for all)
    "api:waves": ApiRule({"GET": EVERYONE, "POST": STAFF}),
    "api:wave": ApiRule({"GET": SIGNED_IN}, lambda ids: {"year": 2026}),
    "api:wave_questionnaire": ApiRule({"GET": SIGNED_IN}, lambda ids: {"year": 2026}),
    "api:wave_estimates": ApiRule({"GET": EVERYONE}, lambda ids: {"year": 2025}),
    "api:wave_organisations": ApiRule({"GET": SIGNED_IN}, lambda ids: {"year": 2025}),
    "api:organisation_results": ApiRule(
        {"GET": ORGANISATION}, lambda ids: {"year": 2025, "organisation_id": "SYN-0001"}
    ),
    # an empty body is the view's own answer (422) for who may ask
    "api:wave_exports": ApiRule({"POST": SIGNED_IN}, lambda ids: {"year": 2025}),
    "api:wave_invitations": ApiRule({"POST": STAFF}, lambda ids: {"year": 2026}),
    "api:job": ApiRule({"GET": frozenset({REFERENT})}, lambda ids: {"job_id": ids.job_id}),
    "api:job_download": ApiRule({"GET": frozenset({REFERENT})}, lambda ids: {"job_id": ids.job_id}),
    # the page of a person's tokens (a web page, with a session)
    "api_tokens": ApiRule({"GET": SIGNED_IN, "POST": SIGNED_IN}, session=True),
    "api_token_revoke": ApiRule(
        {"GET": frozenset({REFERENT}), "POST": frozenset({REFERENT})},
        lambda ids: {"token_id": ids.token_id},
        session=True,
    ),
}

USERNAMES = {
    REFERENT: "remi@un.example",
    OTHER: "sofia@deux.example",
    OPERATOR: "olivia@operateur.example",
}


def _call(persona: str, method: str, url: str, rule: ApiRule, ids: Ids):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    headers: dict[str, str] = {}
    if rule.session and persona != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=USERNAMES[persona]))
    elif not rule.session:
        headers = bearer(ids.secrets.get(persona))
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, "{}", content_type="application/json", headers=headers)


def _reached(response) -> bool:
    """An answer, a file, or the view's own answer to an empty body (422, or a page's form)."""
    if response.status_code == 302:
        return not response["Location"].startswith(reverse("login"))
    return response.status_code in (200, 201, 202, 422)


def _denied(response, persona: str, rule: ApiRule) -> bool:
    if rule.session and persona == ANONYMOUS:
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    if not rule.session and response.status_code in (401, 403, 404, 405):
        return response["Content-Type"].startswith("application/problem+json")
    return response.status_code in (403, 404, 405)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_persona_on_every_api_url(world: World):
    remi = get_user_model().objects.get(username=USERNAMES[REFERENT])
    ids = Ids(
        job_id=export_job_done(world.published, user=remi, organisation="SYN-0001").pk,
        token_id=ApiToken.objects.get(user=remi).pk,
        secrets={REFERENT: world.referent, OTHER: world.other, OPERATOR: world.operator},
    )
    problems = []
    for name, rule in sorted(API_RULES.items()):
        url = reverse(name, kwargs=rule.kwargs(ids))
        for method in METHODS:
            for persona in PERSONAS:
                cache.clear()  # no rate limit in the way
                response = _call(persona, method, url, rule, ids)
                allowed = persona in rule.allowed.get(method, NOBODY)
                if allowed and not _reached(response):
                    problems.append(f"{persona} may reach {method} {url}: {response.status_code}")
                elif not allowed and not _denied(response, persona, rule):
                    problems.append(
                        f"{persona} must not reach {method} {url}: {response.status_code}"
                    )
    assert problems == []
