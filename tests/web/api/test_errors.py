"""One error shape under /api/: application/problem+json (RFC 9457), in French or English,
whoever answers (the API, ninja's validation, Django's routing, a server error)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.web.api.errors import ProblemDetails
from barometre.web.api.tokens import token_create
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db

FIELDS = {"type", "title", "status", "detail", "instance", "errors"}


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == FIELDS
    ProblemDetails.model_validate(body)  # the documented shape
    assert body["status"] == status and body["type"] == f"urn:barometre:problem:{slug}"
    assert "Traceback" not in response.content.decode()
    return body


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()  # the rate limits count in the cache


def test_every_status_in_one_shape_in_french_by_default(olivia, wave):
    api = Api("fr")
    _token, secret = token_create(user=olivia, name="scripts")
    body = assert_problem(api.get("/waves/2026/organisations"), 401, "unauthenticated")
    assert body["title"] == "Authentification requise"
    assert_problem(api.get("/waves/2026/organisations", "brm_wrong"), 401, "invalid-token")
    body = assert_problem(api.get("/waves/1999", secret), 404, "not-found")
    assert body["instance"] == "/api/v1/waves/1999" and body["title"] == "Introuvable"
    assert_problem(api.get("/no/such/route"), 404, "not-found")
    response = api.client.delete("/api/v1/waves", headers={"Authorization": f"Bearer {secret}"})
    assert_problem(response, 405, "method-not-allowed")
    # HEAD with GET (RFC 9110 §9.3.2)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}


def test_the_same_problem_in_english(wave):
    body = assert_problem(Api("en").get("/waves/2026/organisations"), 401, "unauthenticated")
    assert body["title"] == "Authentication required"
    assert "Authorization: Bearer" in body["detail"]


def test_a_referent_asking_for_an_operators_write_is_refused(wave):
    from tests.web.api.conftest import referent

    _token, secret = token_create(user=referent("remi@un.example", "ALPHA"), name="t")
    response = Api("en").post_json("/waves/2026/invitations", {"invitations": []}, secret)
    # the list's own problem is not even looked at: a referent may not invite referents
    assert_problem(response, 403, "forbidden")
    response = Api("en").post_json(
        "/waves/2026/invitations",
        {"invitations": [{"organisation_id": "ALPHA", "email": "a@alpha.example"}]},
        secret,
    )
    assert_problem(response, 403, "forbidden")


def test_every_invalid_parameter_is_listed_with_its_code_and_location(olivia, wave):
    _token, secret = token_create(user=olivia, name="scripts")
    response = Api("en").get("/waves", secret, limit="0", offset="-3")
    body = assert_problem(response, 422, "invalid")
    assert {(e["location"], e["code"]) for e in body["errors"]} == {
        ("query.limit", "api_too_small"),
        ("query.offset", "api_too_small"),
    }
    assert "limit must be at least 1" in [e["message"] for e in body["errors"]]
    french = Api("fr").get("/waves", secret, limit="abc").json()
    assert french["errors"][0]["message"] == "limit doit être un nombre entier"
    assert french["errors"][0]["code"] == "api_not_an_integer"


def test_a_body_that_is_not_json_is_a_problem(olivia, wave):
    _token, secret = token_create(user=olivia, name="scripts")
    response = Api("en").client.post(
        "/api/v1/waves/2026/invitations",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    body = assert_problem(response, 400, "bad-request")
    assert body["errors"] == [
        {
            "location": "body",
            "code": "api_not_json",
            "message": "the body of the request is not valid JSON",
        }
    ]


def test_a_server_error_is_a_problem_without_traceback(olivia, wave, monkeypatch):
    from barometre.web.api.routers import waves

    def broken(caller):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(waves, "visible_waves", broken)
    response = Api("en").get("/waves")
    body = assert_problem(response, 500, "server-error")
    assert "secret internals" not in response.content.decode()
    assert body["title"] == "Something went wrong"


@override_settings(BAROMETRE_API_ANONYMOUS_PER_MINUTE=3, BAROMETRE_API_TOKEN_PER_MINUTE=5)
def test_too_many_requests_are_refused_with_retry_after(olivia, wave):
    api = Api("en")
    assert [api.get("/waves").status_code for _ in range(4)] == [200, 200, 200, 429]
    response = api.get("/waves")
    assert_problem(response, 429, "too-many-requests")
    assert 1 <= int(response["Retry-After"]) <= 60
    # a token has its own count, larger
    _token, secret = token_create(user=olivia, name="scripts")
    assert [api.get("/waves", secret).status_code for _ in range(6)] == [200] * 5 + [429]


def test_the_count_of_an_anonymous_client_never_holds_its_address(wave):
    api = Api("en")
    api.client.get("/api/v1/waves", REMOTE_ADDR="203.0.113.7")
    keys = list(cache._cache.keys())  # the local-memory cache of the tests
    assert keys and not any("203.0.113.7" in key for key in keys)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    limit=st.one_of(st.integers(-(10**20), 10**20).map(str), st.text(max_size=8)),
    offset=st.one_of(st.integers(-(10**20), 10**20).map(str), st.text(max_size=8)),
)
def test_any_paging_is_a_page_or_a_listed_problem(wave, limit, offset):
    cache.clear()
    response = Api("en").get("/waves", limit=limit, offset=offset)
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert_problem(response, 422, "invalid")
        assert response.json()["errors"]
