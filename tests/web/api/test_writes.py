"""An operator's automation: a wave from files, as a job; referents invited, every problem at
once with its index in the list."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.web.api.tokens import token_create
from barometre.web.campaigns.models import AccessLink, Email, Wave
from tests.helpers import TINY
from tests.web.api.conftest import Api, referent
from tests.web.conftest import FRAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


@pytest.fixture
def operator(olivia) -> str:
    return token_create(user=olivia, name="scripts")[1]


def files(frame: str = FRAME, questionnaire: str | None = TINY) -> dict:
    sent = {
        "year": 2030,
        "title": "Baromètre 2030",
        "frame": SimpleUploadedFile("cadre.csv", frame.encode()),
    }
    if questionnaire is not None:
        sent["questionnaire"] = SimpleUploadedFile("q.yaml", questionnaire.encode())
    return sent


def test_a_wave_is_made_from_files_by_a_job(db, operator, committed):
    api = Api("en")
    with committed():
        response = api.post("/waves", files(), operator)
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["kind"] == "wave_create" and job["links"]["self"] == f"/api/v1/jobs/{job['id']}"
    polled = api.get(f"/jobs/{job['id']}", operator).json()
    assert polled["status"] == "done" and polled["wave_year"] == 2030
    wave = Wave.objects.get(year=2030)
    assert wave.questionnaire_id == "tiny" and wave.frame.count() == 3


def test_a_frame_with_problems_fails_its_job_with_every_problem(db, operator, committed):
    bad = FRAME.replace("12000", "-5").replace("ESH", "XYZ")
    with committed():
        job = Api("en").post("/waves", files(frame=bad), operator).json()
    polled = Api("en").get(f"/jobs/{job['id']}", operator).json()
    assert polled["status"] == "failed"
    assert len(polled["errors"]) >= 2
    assert all(e["location"].startswith("cadre.csv") for e in polled["errors"])
    assert not Wave.objects.filter(year=2030).exists()


def test_wrong_requests_are_refused_at_once_and_nothing_is_made(db, operator, wave):
    api = Api("en")
    sent = files()
    sent["questionnaire"] = SimpleUploadedFile("q.yaml", b"\xff\xfe bad")
    sent["year"] = 2026  # exists
    response = api.post("/waves", sent, operator)
    assert response.status_code == 422
    codes = {(e["location"], e["code"]) for e in response.json()["errors"]}
    assert codes == {("year", "api_wave_exists"), ("questionnaire", "api_not_utf8")}
    missing = api.post("/waves", {"year": 2031}, operator).json()["errors"]
    assert {e["code"] for e in missing} == {"api_missing"}
    assert Wave.objects.count() == 1


def test_only_an_operator_makes_a_wave(db, wave):
    secret = token_create(user=referent("remi@un.example", "ALPHA"), name="t")[1]
    assert Api("en").post("/waves", files(), secret).status_code == 403
    assert Api("en").post("/waves", files()).status_code == 401


def test_referents_are_invited_with_every_problem_at_its_index(db, operator, wave):
    api = Api("en")
    body = {
        "invitations": [
            {"organisation_id": "ALPHA", "email": "dir@alpha.example"},
            {"organisation_id": "NOPE", "email": "x@nope.example"},
            {"organisation_id": "BETA", "email": "not an address"},
        ]
    }
    response = api.post_json("/waves/2026/invitations", body, operator)
    assert response.status_code == 422
    assert {(e["location"], e["code"]) for e in response.json()["errors"]} == {
        ("invitations.1", "unknown_organisation_in_wave"),
        ("invitations.2", "invalid_email"),
    }
    assert not AccessLink.objects.exists()  # all or nothing
    body["invitations"] = [
        body["invitations"][0],
        {"organisation_id": "BETA", "email": "dg@beta.example"},
    ]
    response = api.post_json("/waves/2026/invitations", body, operator)
    assert response.status_code == 201
    assert response.json() == {"invited": 2, "skipped": []}
    assert AccessLink.objects.filter(kind="referent").count() == 2
    assert Email.objects.filter(kind="invitation").count() == 2
    # sent again: already invited, skipped and listed by index
    again = api.post_json("/waves/2026/invitations", body, operator).json()
    assert again["invited"] == 0 and [s["index"] for s in again["skipped"]] == [0, 1]
    assert AccessLink.objects.filter(kind="referent").count() == 2


def test_invitations_to_a_wave_that_does_not_exist(db, operator):
    body = {"invitations": [{"organisation_id": "ALPHA", "email": "a@alpha.example"}]}
    assert Api("en").post_json("/waves/1999/invitations", body, operator).status_code == 404


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(known=st.lists(st.booleans(), min_size=1, max_size=12))
def test_each_problem_names_the_index_of_its_invitation(operator, wave, known):
    """Whatever the list, the problems are exactly at the indices of the organisations that
    are not in the frame, and nobody is invited then."""
    cache.clear()
    body = {
        "invitations": [
            {"organisation_id": "ALPHA" if ok else f"NOPE{i}", "email": f"p{i}@alpha.example"}
            for i, ok in enumerate(known)
        ]
    }
    response = Api("en").post_json("/waves/2026/invitations", body, operator)
    wrong = [f"invitations.{i}" for i, ok in enumerate(known) if not ok]
    if wrong:
        assert response.status_code == 422
        assert [e["location"] for e in response.json()["errors"]] == wrong
        assert not AccessLink.objects.filter(kind="referent").exists()
    else:
        assert response.status_code == 201
        AccessLink.objects.all().delete()
