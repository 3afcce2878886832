"""The committed OpenAPI schema is the code's, and the API keeps to it (schemathesis)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings

from barometre.web.api.schema import schema_text
from tests.helpers import ROOT

COMMITTED = ROOT / "docs" / "api" / "openapi.json"
REGENERATE = "python -m barometre.web.api.schema docs/api/openapi.json"


def test_the_committed_schema_is_the_codes():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), f"run {REGENERATE}"


def test_the_schema_is_openapi_3_1_with_every_error_as_a_problem():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            assert {"401", "422", "429", "500"} <= set(answers), (method, path)
            for status, answer in answers.items():
                if int(status) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"]


@pytest.mark.slow
@pytest.mark.django_db
@override_settings(BAROMETRE_API_ANONYMOUS_PER_MINUTE=100000, BAROMETRE_API_TOKEN_PER_MINUTE=100000)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(world):
    """Every operation, with the operator's token and with the referent's: a bounded number
    of generated requests each (the same every run), checked against the committed schema."""
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    cache.clear()
    schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text(encoding="utf-8")))
    schema.app = WSGIHandler()
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    failures: list[str] = []
    statuses: list[int] = []

    def runner(operation, headers):
        @settings(
            max_examples=12,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            try:
                response = case.call_and_validate(
                    base_url="http://localhost/api/v1", headers=headers, checks=checks
                )
                statuses.append(response.status_code)
            except Exception as exc:  # gathered, for one readable report
                failures.append(f"{operation.label}: {str(exc)[:600]}")

        return run

    # the test's transaction must outlive each request (Django's test client does the same)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            for token in (world.operator, world.referent):
                runner(operation, {"Authorization": f"Bearer {token}"})()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert failures == []
    # the requests reached the operations: not only refusals
    assert len(statuses) >= 100 and statuses.count(200) >= 20, sorted(set(statuses))
