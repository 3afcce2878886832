"""What each persona reads: the waves, a questionnaire, an organisation's results (the
referent's pages' rules), the published estimates (the public page's figures)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from barometre.contracts.estimates import Figure
from barometre.questionnaire import load_questionnaire
from barometre.web.public.selectors import sector_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


def years(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [wave["year"] for wave in response.json()["items"]]


def test_who_sees_which_waves(world, api):
    assert years(api.get("/waves")) == [2025]  # the public: published only
    assert years(api.get("/waves", world.operator)) == [2027, 2026, 2025]
    assert years(api.get("/waves", world.referent)) == [2026, 2025]  # open, of its frame
    assert api.get("/waves/2027").status_code == 404
    assert api.get("/waves/2027", world.referent).status_code == 404
    assert api.get("/waves/2027", world.operator).json()["status"] == "draft"
    assert api.get("/waves/2026").status_code == 404
    wave = api.get("/waves/2025").json()
    assert wave["links"]["estimates"] == "/api/v1/waves/2025/estimates"
    assert api.get("/waves/2026", world.operator).json()["links"]["estimates"] is None


def test_pages_have_their_total_and_links(world, api):
    first = api.get("/waves", world.operator, limit=2).json()
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [w["year"] for w in first["items"]] == [2027, 2026]
    assert first["links"]["previous"] is None
    second = api.client.get(
        first["links"]["next"], headers={"Authorization": f"Bearer {world.operator}"}
    ).json()
    assert [w["year"] for w in second["items"]] == [2025] and second["links"]["next"] is None
    assert second["links"]["previous"] == "/api/v1/waves?limit=2&offset=0"
    assert api.get("/waves", world.operator, limit=201).status_code == 422  # bounded


def test_the_questionnaire_of_a_published_wave_is_public(world, api):
    response = api.get("/waves/2025/questionnaire")
    assert response.status_code == 200
    assert response.json() == load_questionnaire("hlm-2026").model_dump(mode="json")
    assert api.get("/waves/2027/questionnaire").status_code == 404
    assert api.get("/waves/2027/questionnaire", world.operator).json()["id"] == "tiny"


def test_organisations_operator_all_referent_its_own_public_none(world, api):
    everyone = api.get("/waves/2025/organisations", world.operator, limit=200).json()
    assert everyone["total"] == 30
    own = api.get("/waves/2025/organisations", world.referent).json()
    assert [o["organisation_id"] for o in own["items"]] == ["SYN-0001"]
    assert own["items"][0]["links"]["results"] == (
        "/api/v1/waves/2025/organisations/SYN-0001/results"
    )
    assert api.get("/waves/2025/organisations").status_code == 401
    assert api.get("/waves/2027/organisations", world.referent).status_code == 404


def test_results_follow_the_referent_pages_rules(world, api):
    mine = api.get("/waves/2025/organisations/SYN-0001/results", world.referent)
    assert mine.status_code == 200
    scores = world.published.scores.organisation("SYN-0001")
    assert mine.json()["scores"] == scores.model_dump(mode="json", by_alias=True)
    assert "global" in mine.json()["scores"]
    # another organisation: refused, as the referent's dashboard refuses it
    assert api.get("/waves/2025/organisations/SYN-0002/results", world.referent).status_code == 403
    assert api.get("/waves/2025/organisations/NOPE/results", world.referent).status_code == 404
    # an open wave without results yet, a draft wave: not found
    assert api.get("/waves/2026/organisations/SYN-0001/results", world.referent).status_code == 404
    assert api.get("/waves/2027/organisations/ALPHA/results", world.operator).status_code == 404
    assert api.get("/waves/2025/organisations/SYN-0002/results", world.operator).status_code == 200
    assert api.get("/waves/2025/organisations/SYN-0001/results", world.other).status_code == 403


def test_the_api_refuses_what_the_web_refuses(world, api):
    """The same persona on the referent's report page and on the API's results: the same
    answer (the web's 403 and 404 are the API's)."""
    from django.contrib.auth import get_user_model

    web = Client()
    web.force_login(get_user_model().objects.get(username="remi@un.example"))
    for organisation, year in (
        ("SYN-0001", 2025),
        ("SYN-0002", 2025),
        ("NOPE", 2025),
        ("SYN-0001", 1999),
    ):
        page = web.get(
            reverse("organisations:report_html", kwargs={"external_id": organisation, "year": year})
        ).status_code
        answer = api.get(f"/waves/{year}/organisations/{organisation}/results", world.referent)
        assert answer.status_code == page, (organisation, year)


def _same(published: dict, figure: Figure) -> None:
    assert published["suppressed"] == figure.suppressed
    assert published["suppression"] == figure.suppression
    for key in ("n", "value", "se", "ci_low", "ci_high"):
        assert published[key] == getattr(figure, key), key
    if figure.suppressed:  # nothing of a suppressed figure is published
        assert all(published[key] is None for key in ("value", "se", "ci_low", "ci_high"))


def test_the_estimates_are_the_public_pages_figures(world, api):
    body = api.get("/waves/2025/estimates").json()
    with translation.override("fr"):
        page = sector_page(wave=world.published)
    assert body["disclosure_minimum"] == page.minimum == 5
    _same(body["sector"]["global"], page.overall.global_index)
    assert [_same(body["sector"]["dimensions"][k], v) for k, v in page.overall.dimensions.items()]
    shown = {row.figure for row in page.levels}
    assert len(shown) and len(body["sector"]["levels"]) == len(page.levels)
    for breakdown, variable in zip(
        page.breakdowns, ("organisation_type", "size_class", "region"), strict=True
    ):
        groups = body["breakdowns"][variable]
        assert len(groups) == len(breakdown.rows)
        for group, row in zip(groups, breakdown.rows, strict=True):
            _same(group["global"], row.figure)
            assert group["responding_organisations"] == row.n
    # a small sector: some figures are suppressed, and carry no number
    flat = [g["global"] for groups in body["breakdowns"].values() for g in groups]
    assert any(f["suppressed"] for f in flat)
    assert all(f["value"] is None for f in flat if f["suppressed"])


def test_no_estimates_before_publication_even_for_an_operator(world, api):
    assert api.get("/waves/2026/estimates", world.operator).status_code == 404
    assert api.get("/waves/2027/estimates", world.operator).status_code == 404
