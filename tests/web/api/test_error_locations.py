"""Where a problem of a request is, as a client names it: `body.invitations.0.email` (not
ninja's parameter name, not pydantic's union tags), one problem for a union's branches; and
HEAD on every GET operation (RFC 9110 §9.3.2). Expected texts written by hand."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from barometre.web.api.api import api as the_api
from barometre.web.api.errors import BODY_PARAMETER, ApiProblemMiddleware
from barometre.web.api.tokens import token_create
from tests.helpers import ROOT
from tests.web.api.conftest import Api, bearer
from tests.web.api.test_errors import assert_problem

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"
TABLES = "'organisations', 'items', 'responses', 'responses-long', 'estimates', 'all'"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


@pytest.fixture
def secret(olivia, wave) -> str:
    return token_create(user=olivia, name="scripts")[1]


def errors(response) -> list[tuple[str, str, str]]:
    body = assert_problem(response, 422, "invalid")
    return [(e["location"], e["code"], e["message"]) for e in body["errors"]]


def test_a_problem_of_the_body_is_located_in_the_body_without_the_parameters_name(secret):
    sent = {"invitations": [{"organisation_id": 3, "email": ""}]}
    assert errors(Api("en").post_json("/waves/2026/invitations", sent, secret)) == [
        ("body.invitations.0.organisation_id", "api_invalid", "organisation_id is not valid"),
        ("body.invitations.0.email", "api_too_short", "email is too short: at least 1 characters"),
    ]
    assert errors(Api("fr").post_json("/waves/2026/invitations", sent, secret)) == [
        ("body.invitations.0.organisation_id", "api_invalid", "organisation_id n’est pas valide"),
        (
            "body.invitations.0.email",
            "api_too_short",
            f"email est trop court{NNBSP}: 1 caractères au moins",
        ),
    ]


def test_a_wrong_value_of_a_union_of_choices_is_one_problem_listing_every_value(secret):
    sent = {"table": "zzz", "format": "csv"}
    response = Api("en").post_json("/waves/2025/exports", sent, secret)
    body = assert_problem(response, 422, "invalid")
    assert body["detail"] == "1 problem found; nothing was done."
    assert errors(response) == [("body.table", "api_not_one_of", f"table must be one of {TABLES}")]
    assert errors(Api("fr").post_json("/waves/2025/exports", sent, secret)) == [
        ("body.table", "api_not_one_of", f"table doit valoir l’une de ces valeurs{NNBSP}: {TABLES}")
    ]


def test_the_values_of_a_choice_are_listed_without_an_english_or(secret):
    sent = {"table": "all", "format": "pdf", "language": "de"}
    assert errors(Api("fr").post_json("/waves/2025/exports", sent, secret)) == [
        (
            "body.format",
            "api_not_one_of",
            f"format doit valoir l’une de ces valeurs{NNBSP}: "
            "'csv', 'csv-fr', 'xlsx', 'sav', 'dta', 'parquet'",
        ),
        (
            "body.language",
            "api_not_one_of",
            f"language doit valoir l’une de ces valeurs{NNBSP}: 'fr', 'en'",
        ),
    ]


def test_every_operation_names_its_json_body_body():
    """The location of a body's problem leaves out this name (errors.BODY_PARAMETER)."""
    for _prefix, router in the_api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":
                        single = model.__read_from_single_attr__
                        assert single == BODY_PARAMETER, operation.view_func.__name__


# --- HEAD ------------------------------------------------------------------------------------

GETS = [
    "/waves",
    "/waves/2025",
    "/waves/2025/questionnaire",
    "/waves/2025/estimates",
    "/waves/2025/organisations",
    "/waves/2025/organisations/SYN-0001/results",
    "/jobs/999999",
    "/jobs/999999/download",
    "/openapi.json",
]


def test_every_get_route_is_in_the_list_of_heads():
    schema = json.loads((ROOT / "docs" / "api" / "openapi.json").read_text(encoding="utf-8"))
    paths = {
        path.replace("{year}", "2025")
        .replace("{organisation_id}", "SYN-0001")
        .replace("{job_id}", "999999")
        for path, operations in schema["paths"].items()
        if "get" in operations
    }
    assert paths | {"/openapi.json"} == set(GETS)
    # HEAD answers GET's operations, it is not one of its own in the schema
    assert not any("head" in operations for operations in schema["paths"].values())


def test_head_answers_as_get_without_a_body(world):
    api = Api("en")
    for path in GETS:
        for token in (None, world.operator, world.referent):
            headers = bearer(token)
            got = api.client.get(f"/api/v1{path}", headers=headers)
            head = api.client.head(f"/api/v1{path}", headers=headers)
            assert head.status_code == got.status_code != 405, (path, token)
            assert head["Content-Type"] == got["Content-Type"]
            assert head.get("Content-Length") == got.get("Content-Length")
            assert head.get("WWW-Authenticate") == got.get("WWW-Authenticate")
            assert head.content == b""


def test_a_route_without_get_does_not_take_head(secret):
    response = Api("en").client.head(
        "/api/v1/waves/2025/exports", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    listed = Api("en").client.delete("/api/v1/waves")
    assert set(listed["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_the_answer_to_head_keeps_its_length_and_loses_its_body(tmp_path):
    """Django's test client drops a HEAD's body itself: the middleware is checked alone."""
    request = RequestFactory().head("/api/v1/waves")
    answered = ApiProblemMiddleware(lambda request: HttpResponse(b"0123456789"))(request)
    assert (answered.content, answered["Content-Length"]) == (b"", "10")
    exported = tmp_path / "export.csv"
    exported.write_bytes(b"a,b\n1,2\n")
    handle = exported.open("rb")
    streamed = ApiProblemMiddleware(lambda request: FileResponse(handle))(request)
    assert streamed["Content-Length"] == "8"
    assert b"".join(streamed.streaming_content) == b"" and handle.closed
    # a GET keeps its body
    got = ApiProblemMiddleware(lambda request: HttpResponse(b"abc"))(
        RequestFactory().get("/api/v1/waves")
    )
    assert got.content == b"abc"
