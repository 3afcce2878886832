"""An export through the API: asked for (202 and its job), polled, downloaded; by its
requester only (the web export service's rule)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.cache import cache

from tests.web.api.conftest import Api

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


def test_request_poll_download(world, committed):
    api = Api("en")
    with committed():  # the worker runs the job once the request has committed
        response = api.post_json(
            "/waves/2025/exports", {"table": "organisations", "format": "csv"}, world.operator
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["kind"] == "wave_export"
    polled = api.get(f"/jobs/{job['id']}", world.operator).json()
    assert polled["status"] == "done", polled
    assert polled["links"]["download"] == f"/api/v1/jobs/{job['id']}/download"
    download = api.get(f"/jobs/{job['id']}/download", world.operator)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(b"".join(download.streaming_content)), dtype=str)
    assert list(table["organisation_id"]) == list(world.published.scores.organisation_ids)
    # a referent never sees an operator's export, not even that it exists
    assert api.get(f"/jobs/{job['id']}", world.referent).status_code == 404
    assert api.get(f"/jobs/{job['id']}/download", world.referent).status_code == 404


def test_a_referent_exports_its_own_organisation_only(world, committed):
    api = Api("en")
    own = {"table": "items", "format": "csv", "organisation_id": "SYN-0001"}
    with committed():
        response = api.post_json("/waves/2025/exports", own, world.referent)
    assert response.status_code == 202, response.content
    job = response.json()
    assert api.get(f"/jobs/{job['id']}/download", world.referent).status_code == 200
    assert api.get(f"/jobs/{job['id']}", world.other).status_code == 404
    other = {**own, "organisation_id": "SYN-0002"}
    assert api.post_json("/waves/2025/exports", other, world.referent).status_code == 403
    whole = {"table": "organisations", "format": "csv"}
    assert api.post_json("/waves/2025/exports", whole, world.referent).status_code == 403


def test_an_export_the_wave_does_not_allow_is_a_conflict(world):
    api = Api("en")
    response = api.post_json(
        "/waves/2026/exports", {"table": "organisations", "format": "csv"}, world.operator
    )
    assert response.status_code == 409
    assert "computed" in response.json()["detail"]
    bad = api.post_json("/waves/2025/exports", {"table": "x", "format": "csv"}, world.operator)
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "api_not_one_of"
