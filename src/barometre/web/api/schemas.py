"""What the API reads and writes: typed records (pydantic), the core's own where they fit
(`OrganisationScores`, `Questionnaire`, `QuestionnaireRef`, `FrameSummary`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from barometre.contracts.base import Number
from barometre.contracts.estimates import FrameSummary, SuppressionKind
from barometre.contracts.scores import OrganisationScores, QuestionnaireRef
from barometre.questionnaire.loader import BUILTIN
from barometre.web.api.errors import ProblemItem

#: Largest page of a list.
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
#: Largest offset and identifiers taken (the database's integers stop at 2⁶³).
MAX_OFFSET = 10**9
MAX_ID = 2**62
#: Years a wave can have (the web's form takes 2000-2100; a year is a small integer).
MIN_YEAR, MAX_YEAR = 1, 32767
#: Most invitations in one request (a sector has about 600 organisations).
MAX_INVITATIONS = 5000

WaveStatus = Literal["draft", "open", "closed", "computed", "published"]
JobStatus = Literal["pending", "running", "done", "failed"]
BuiltinQuestionnaire = Literal[tuple(BUILTIN)]  # type: ignore[valid-type]


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Entries skipped.")


class PageLinks(Schema):
    self: str
    next: str | None = Field(description="The next page, null on the last one.")
    previous: str | None = Field(description="The previous page, null on the first one.")


class Page(Schema):
    total: int = Field(description="Entries in the whole list.")
    limit: int
    offset: int
    links: PageLinks


# --- waves --------------------------------------------------------------------------------


class WaveLinks(Schema):
    self: str
    questionnaire: str
    organisations: str
    estimates: str | None = Field(description="The sector estimates, once published.")


class WaveOut(Schema):
    year: int
    title: str
    status: WaveStatus
    questionnaire: QuestionnaireRef
    methodology_version: str
    created_at: datetime
    links: WaveLinks


class WavePage(Page):
    items: list[WaveOut]


# --- organisations and their results ----------------------------------------------------------


class OrganisationLinks(Schema):
    results: str


class OrganisationOut(Schema):
    """An organisation of the wave's frame, as the frame describes it."""

    organisation_id: str
    name: str
    organisation_type: str
    size_class: str
    dwellings: int
    department: str
    region: str
    links: OrganisationLinks


class OrganisationPage(Page):
    items: list[OrganisationOut]


class OrganisationResults(Schema):
    """An organisation's results in a computed wave: its record of the scores file."""

    wave_year: int
    organisation_id: str
    name: str
    questionnaire: QuestionnaireRef
    scores: OrganisationScores


# --- published sector estimates ---------------------------------------------------------------


class PublishedFigure(Schema):
    """A published figure: a value with its standard error, 95 % interval and n, or none of
    them when it is suppressed (`suppression` says why)."""

    suppressed: bool
    suppression: SuppressionKind | None
    n: int | None
    value: Number
    se: Number
    ci_low: Number
    ci_high: Number


class SectorFigures(Schema):
    responding_organisations: int | None
    global_index: PublishedFigure = Field(serialization_alias="global")
    dimensions: dict[str, PublishedFigure]
    levels: dict[str, PublishedFigure] = Field(description="Shares of organisations, in [0, 1].")
    families: dict[str, PublishedFigure] = Field(description="Shares of organisations, in [0, 1].")


class GroupFigures(Schema):
    """One group of a breakdown (an organisation type, a size class, a region)."""

    level: str
    suppressed: bool
    suppression: SuppressionKind | None
    responding_organisations: int | None
    global_index: PublishedFigure = Field(serialization_alias="global")
    dimensions: dict[str, PublishedFigure] = Field(
        description="By dimension (not given by region, as on the public page)."
    )


class Breakdowns(Schema):
    organisation_type: list[GroupFigures]
    size_class: list[GroupFigures]
    region: list[GroupFigures]


class PublishedChangeFigure(Schema):
    suppressed: bool
    suppression: SuppressionKind | None
    n: int | None
    value: Number
    se: Number
    ci_low: Number
    ci_high: Number


class IndicatorChange(Schema):
    indicator: str = Field(description="`global` or a dimension's identifier.")
    population: PublishedChangeFigure
    panel: PublishedChangeFigure


class PublishedChange(Schema):
    since_year: int | None
    indicators: list[IndicatorChange]


class PublishedEstimates(Schema):
    """The sector barometer of a published wave: the figures its public page shows,
    suppressed exactly as there (no figure about fewer than `disclosure_minimum`
    organisations, nor one that would give such a figure by subtraction)."""

    wave_year: int
    questionnaire: QuestionnaireRef
    methodology_version: str
    disclosure_minimum: int
    confidence_level: float
    weighting_method: str
    frame: FrameSummary
    sector: SectorFigures
    breakdowns: Breakdowns
    change: PublishedChange | None


# --- jobs and exports -----------------------------------------------------------------------


class Progress(Schema):
    done: int
    total: int


class JobLinks(Schema):
    self: str
    download: str | None = Field(description="The file, once the job is done (exports).")
    wave: str | None = Field(description="The wave the job made or works on.")


class JobOut(Schema):
    id: int
    kind: str
    status: JobStatus
    progress: Progress
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None = Field(description="Why a failed job failed, in words.")
    errors: list[ProblemItem] = Field(
        description="Every problem of the input files of a failed wave creation."
    )
    wave_year: int | None
    links: JobLinks


# --- writes -------------------------------------------------------------------------------


class WaveCreateForm(Schema):
    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=200)
    questionnaire_name: BuiltinQuestionnaire | None = Field(  # type: ignore[valid-type]
        None,
        description="A built-in questionnaire, when no questionnaire file is sent "
        "(hlm-2026 when neither is).",
    )


class Invitation(Schema):
    organisation_id: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=1, max_length=320)


class InvitationsIn(Schema):
    invitations: list[Invitation] = Field(min_length=1, max_length=MAX_INVITATIONS)
    invite_again: bool = Field(
        False,
        description="Invite again the people who already have a live invitation for that "
        "organisation in this wave (else they are skipped and listed).",
    )


class SkippedInvitation(Schema):
    index: int
    organisation_id: str
    email: str


class InvitationsOut(Schema):
    invited: int = Field(description="Referents invited: their e-mails are queued.")
    skipped: list[SkippedInvitation]
