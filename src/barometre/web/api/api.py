"""The API object: its routers, its error handlers, its rate limit and its OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Router

from barometre.web.api.errors import HANDLERS, PROBLEM_JSON
from barometre.web.api.routers import jobs, organisations, waves
from barometre.web.api.throttling import RateLimit

DESCRIPTION = (
    "Read access to the waves of the barometer, their questionnaires, the organisations' "
    "results (a referent's token: its own organisations only), the published sector "
    "estimates (public) and exports (as jobs); and what an operator automates: a wave "
    "from files, referents invited. Authentication: `Authorization: Bearer <token>`, a "
    "personal token made on the page “My API tokens”. Errors: `application/problem+json` "
    "(RFC 9457) in French or English by `Accept-Language`. The guide: docs/api.md."
)

_PROBLEM_REF = "#/components/schemas/ProblemDetails"


class BarometreApi(NinjaAPI):
    """NinjaAPI whose schema says that errors are `application/problem+json`."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, **kwargs: Any) -> Any:
        # Paths are relative to the server's URL (`servers`), wherever the API is mounted.
        schema = super().get_openapi_schema(path_prefix="", **kwargs)
        for operations in schema["paths"].values():
            # HEAD is GET without the body (RFC 9110 §9.3.2), not an operation of its own:
            # listed, it would repeat the GET's operationId.
            operations.pop("head", None)
            for operation in operations.values():
                for answer in operation.get("responses", {}).values():
                    content = answer.get("content", {})
                    body = content.get("application/json")
                    if body is not None and body.get("schema", {}).get("$ref") == _PROBLEM_REF:
                        answer["content"] = {PROBLEM_JSON: body}
        return schema


def build_api() -> BarometreApi:
    api = BarometreApi(
        title="Baromètre API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        docs_url=None,  # the schema is committed (docs/api/openapi.json), documented in docs/api.md
        openapi_url="/openapi.json",
        docs_decorator=require_safe,  # the schema is read, never posted to
        servers=[{"url": "/api/v1", "description": "This server"}],
        throttle=[RateLimit()],
    )
    for exception, handler in HANDLERS:
        api.add_exception_handler(exception, handler)
    api.add_router("/waves", waves.router)
    api.add_router("/waves", organisations.router)
    api.add_router("/waves", jobs.exports_router)
    api.add_router("/jobs", jobs.router)
    answer_head(waves.router, organisations.router, jobs.exports_router, jobs.router)
    return api


def answer_head(*routers: Router) -> None:
    """Every GET operation of `routers` answers HEAD too (RFC 9110 §9.3.2: a server that
    answers GET answers HEAD), with the same headers; `ApiProblemMiddleware` drops the body.
    Done on the routers before the API binds them, so that every route has it."""
    for router in routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                if "GET" in operation.methods and "HEAD" not in operation.methods:
                    operation.methods.append("HEAD")


api = build_api()
