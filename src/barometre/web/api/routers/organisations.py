"""The organisations of a wave and their results: an operator's for every organisation, a
referent's for their own, checked exactly as the referent's pages check."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from barometre.identifiers import IDENTIFIER_MAX_LENGTH
from barometre.web.api.auth import REQUIRED, caller
from barometre.web.api.errors import FORBIDDEN, NOT_FOUND, ApiProblem
from barometre.web.api.pagination import page_of
from barometre.web.api.routers import responses, url
from barometre.web.api.schemas import (
    MAX_YEAR,
    MIN_YEAR,
    OrganisationLinks,
    OrganisationOut,
    OrganisationPage,
    OrganisationResults,
    PageQuery,
)
from barometre.web.api.selectors import frame_entries, results_wave, visible_wave
from barometre.web.campaigns.models import FrameEntry

router = Router(tags=["organisations"])

Year = Path(..., ge=MIN_YEAR, le=MAX_YEAR, description="The wave's year.")


def _organisation_out(year: int):
    def serialize(entry: FrameEntry) -> OrganisationOut:
        organisation = entry.organisation
        return OrganisationOut(
            organisation_id=organisation.external_id,
            name=organisation.name,
            organisation_type=entry.organisation_type,
            size_class=entry.size_class,
            dwellings=entry.dwellings,
            department=entry.department,
            region=entry.region,
            links=OrganisationLinks(
                results=url(
                    "organisation_results", year=year, organisation_id=organisation.external_id
                )
            ),
        )

    return serialize


@router.get(
    "/{year}/organisations",
    response=responses({200: OrganisationPage}, 403, 404),
    auth=REQUIRED,
    url_name="wave_organisations",
    operation_id="wave_organisations",
    by_alias=True,
    summary="The organisations of a wave's frame the caller may act for",
)
def wave_organisations(request: HttpRequest, page: Query[PageQuery], year: int = Year):
    """Every organisation of the frame for an operator; for a referent, their own."""
    who = caller(request)
    if not who.user.is_authenticated:
        raise ApiProblem(FORBIDDEN)
    wave = visible_wave(who, year)
    return page_of(request, frame_entries(who, wave), page, _organisation_out(year))


@router.get(
    "/{year}/organisations/{organisation_id}/results",
    response=responses({200: OrganisationResults}, 403, 404),
    auth=REQUIRED,
    url_name="organisation_results",
    operation_id="organisation_results",
    by_alias=True,
    summary="An organisation's results in a computed wave",
)
def organisation_results(
    request: HttpRequest,
    year: int = Year,
    organisation_id: str = Path(..., min_length=1, max_length=IDENTIFIER_MAX_LENGTH),
):
    """The organisation's record of the wave's scores file (docs/scores-format.md). As on
    the referent's pages: an unknown organisation is 404, another organisation 403, a wave
    the organisation's pages do not show (not in its frame, or not open yet) 404."""
    wave, organisation = results_wave(caller(request), year, organisation_id)
    scores = wave.scores.organisation(organisation.external_id) if wave.scores else None
    if wave.scores is None or scores is None:
        raise ApiProblem(NOT_FOUND, _("The organisation has no results in this wave (yet)."))
    return OrganisationResults(
        wave_year=wave.year,
        organisation_id=organisation.external_id,
        name=organisation.name,
        questionnaire=wave.scores.questionnaire,
        scores=scores,
    )
