"""Reads of the API, with the web's own rules of who sees what.

- Waves: the public sees the published waves (`public.selectors.published_waves`); a
  referent also the waves of their organisations once open (`organisation_waves`); an
  operator every wave.
- An organisation's results: `may_act_for` and `organisation_wave`, the very functions of the
  referent's pages (an unknown organisation 404, another organisation 403, a wave the
  organisation's pages do not show 404).
- Sector estimates: published waves only, the figures of the public page as the estimate
  stored them (suppressed figures carry no number): the disclosure rule is the estimate's.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from barometre.contracts.change import ChangeFile, Difference
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.web.api.auth import Caller
from barometre.web.api.errors import FORBIDDEN, NOT_FOUND, ApiProblem
from barometre.web.api.schemas import (
    Breakdowns,
    GroupFigures,
    IndicatorChange,
    PublishedChange,
    PublishedChangeFigure,
    PublishedEstimates,
    PublishedFigure,
    SectorFigures,
)
from barometre.web.campaigns.models import FrameEntry, Wave
from barometre.web.campaigns.services import HEAVY_WAVE_FIELDS
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.selectors import may_act_for, organisation_wave
from barometre.web.public.selectors import published_waves


def _members_organisations(caller: Caller) -> QuerySet[Organisation]:
    memberships = Membership.objects.current().filter(user=caller.user)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


def visible_waves(caller: Caller) -> QuerySet[Wave]:
    """The waves the caller may see, newest first (without their large columns)."""
    waves = Wave.objects.defer(*HEAVY_WAVE_FIELDS)
    if caller.is_operator:
        return waves.order_by("-year")
    published = Q(pk__in=published_waves().order_by().values("pk"))
    if not caller.user.is_authenticated:
        return waves.filter(published).order_by("-year")
    # the waves of the referent's organisations once open: `organisation_waves`'s rule
    own = Wave.objects.filter(
        frame__organisation__in=_members_organisations(caller), status__gte=Wave.Status.OPEN
    ).values("pk")
    return waves.filter(published | Q(pk__in=own)).order_by("-year")


def visible_wave(caller: Caller, year: int) -> Wave:
    wave = visible_waves(caller).filter(year=year).first()
    if wave is None:
        raise ApiProblem(NOT_FOUND)
    return wave


def frame_entries(caller: Caller, wave: Wave) -> QuerySet[FrameEntry]:
    """The organisations of the wave's frame the caller may act for (all, for an operator)."""
    entries = FrameEntry.objects.filter(wave=wave).select_related("organisation")
    if not caller.is_operator:
        entries = entries.filter(organisation__in=_members_organisations(caller))
        if wave.status < Wave.Status.OPEN:
            entries = entries.none()
    return entries.order_by("organisation__external_id")


def results_wave(caller: Caller, year: int, organisation_id: str) -> tuple[Wave, Organisation]:
    """The wave and organisation whose results the caller asks for, checked as the referent's
    pages check them (`organisations.views._organisation_for`, `organisation_wave`)."""
    organisation = Organisation.objects.filter(external_id=organisation_id).first()
    if organisation is None:
        raise ApiProblem(NOT_FOUND)
    if not may_act_for(user=caller.user, organisation=organisation):
        raise ApiProblem(FORBIDDEN)
    try:
        wave = organisation_wave(organisation=organisation, year=year, operator=caller.is_operator)
    except Http404 as exc:  # the wave does not exist for the organisation's pages
        raise ApiProblem(NOT_FOUND) from exc
    return wave, organisation


def published_wave(year: int) -> Wave:
    """A published wave with its estimate, as the public page shows (else 404)."""
    wave = published_waves().filter(year=year, estimates__isnull=False).first()
    if wave is None:
        raise ApiProblem(NOT_FOUND)
    return wave


# --- the published estimates ------------------------------------------------------------------


def _figure(figure: Figure) -> PublishedFigure:
    return PublishedFigure(
        suppressed=figure.suppressed,
        suppression=figure.suppression,
        n=figure.n,
        value=figure.value,
        se=figure.se,
        ci_low=figure.ci_low,
        ci_high=figure.ci_high,
    )


def _difference(difference: Difference) -> PublishedChangeFigure:
    return PublishedChangeFigure(
        suppressed=difference.suppressed,
        suppression=difference.suppression,
        n=difference.n,
        value=difference.value,
        se=difference.se,
        ci_low=difference.ci_low,
        ci_high=difference.ci_high,
    )


def _group(domain: DomainEstimate, *, dimensions: bool) -> GroupFigures:
    return GroupFigures(
        level=domain.level,
        suppressed=domain.suppressed,
        suppression=domain.suppression,
        responding_organisations=domain.organisations,
        global_index=_figure(domain.global_index),
        dimensions={k: _figure(v) for k, v in domain.dimensions.items()} if dimensions else {},
    )


def _change(change: ChangeFile | None, dimensions: tuple[str, ...]) -> PublishedChange | None:
    """The change the public page shows: none without the global index's; then the global
    index and each dimension whose change was computed."""
    if change is None or change.indicator("global") is None:
        return None
    rows = []
    for key in ("global", *dimensions):
        indicator = change.indicator(key)
        if indicator is not None:
            rows.append(
                IndicatorChange(
                    indicator=key,
                    population=_difference(indicator.population),
                    panel=_difference(indicator.panel),
                )
            )
    return PublishedChange(since_year=change.before_year, indicators=rows)


def published_estimates(wave: Wave) -> PublishedEstimates:
    estimates: EstimatesFile | None = wave.estimates
    if estimates is None:
        raise ApiProblem(NOT_FOUND)
    sector = estimates.sector
    return PublishedEstimates(
        wave_year=wave.year,
        questionnaire=estimates.questionnaire,
        methodology_version=estimates.methodology.version,
        disclosure_minimum=estimates.method.suppression.min_organisations,
        confidence_level=estimates.method.confidence_level,
        weighting_method=estimates.weighting.method,
        frame=estimates.frame,
        sector=SectorFigures(
            responding_organisations=sector.organisations,
            global_index=_figure(sector.global_index),
            dimensions={k: _figure(v) for k, v in sector.dimensions.items()},
            levels={k: _figure(v) for k, v in sector.shares.level.items()},
            families={k: _figure(v) for k, v in sector.shares.typology.items()},
        ),
        breakdowns=Breakdowns(
            organisation_type=[
                _group(d, dimensions=True) for d in estimates.domains.organisation_type
            ],
            size_class=[_group(d, dimensions=True) for d in estimates.domains.size_class],
            region=[_group(d, dimensions=False) for d in estimates.domains.region],
        ),
        change=_change(wave.change, estimates.indicators.dimensions),
    )
