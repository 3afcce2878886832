"""Waves: the list, one wave, its questionnaire and its published sector estimates; and the
operator's writes: a wave from files, referents invited."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router, Status, UploadedFile

from barometre.contracts.scores import QuestionnaireRef
from barometre.errors import Code, FrameError, InputError, Problem, problem
from barometre.questionnaire import Questionnaire, builtin_path
from barometre.web.api.auth import OPERATOR, OPTIONAL, caller
from barometre.web.api.errors import NOT_FOUND, ApiProblem
from barometre.web.api.pagination import page_of
from barometre.web.api.routers import PUBLIC_SECURITY, responses, url
from barometre.web.api.routers.jobs import job_out
from barometre.web.api.schemas import (
    MAX_YEAR,
    MIN_YEAR,
    InvitationsIn,
    InvitationsOut,
    JobOut,
    PageQuery,
    PublishedEstimates,
    SkippedInvitation,
    WaveCreateForm,
    WaveLinks,
    WaveOut,
    WavePage,
)
from barometre.web.api.selectors import (
    published_estimates,
    published_wave,
    visible_wave,
    visible_waves,
)
from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.backoffice.forms import (
    MEGABYTE,
    InvitationRow,
    max_upload_mb,
    read_csv_upload,
    skip_already_invited,
)
from barometre.web.campaigns.invitations import referents_from_csv
from barometre.web.campaigns.jobs import wave_create_job_start
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire

router = Router(tags=["waves"])

Year = Path(..., ge=MIN_YEAR, le=MAX_YEAR, description="The wave's year.")


def wave_out(wave: Wave) -> WaveOut:
    published = wave.status == Wave.Status.PUBLISHED
    return WaveOut(
        year=wave.year,
        title=wave.title,
        status=Wave.Status(wave.status).name.lower(),  # type: ignore[arg-type]
        questionnaire=QuestionnaireRef(
            id=wave.questionnaire_id, version=wave.questionnaire_version
        ),
        methodology_version=wave.methodology_version,
        created_at=wave.created_at,
        links=WaveLinks(
            self=url("wave", year=wave.year),
            questionnaire=url("wave_questionnaire", year=wave.year),
            organisations=url("wave_organisations", year=wave.year),
            estimates=url("wave_estimates", year=wave.year) if published else None,
        ),
    )


@router.get(
    "",
    response=responses({200: WavePage}),
    auth=OPTIONAL,
    url_name="waves",
    operation_id="waves_list",
    by_alias=True,
    summary="The waves the caller may see",
    openapi_extra=PUBLIC_SECURITY,
)
def waves_list(request: HttpRequest, page: Query[PageQuery]):
    """Published waves for anyone; a referent also sees the waves of their organisations
    once open; an operator every wave. Newest first."""
    return page_of(request, visible_waves(caller(request)), page, wave_out)


@router.get(
    "/{year}",
    response=responses({200: WaveOut}, 404),
    auth=OPTIONAL,
    url_name="wave",
    operation_id="wave_detail",
    by_alias=True,
    summary="One wave",
    openapi_extra=PUBLIC_SECURITY,
)
def wave_detail(request: HttpRequest, year: int = Year):
    return wave_out(visible_wave(caller(request), year))


@router.get(
    "/{year}/questionnaire",
    response=responses({200: Questionnaire}, 404),
    auth=OPTIONAL,
    url_name="wave_questionnaire",
    operation_id="wave_questionnaire",
    by_alias=True,
    summary="The questionnaire the wave was run with",
    openapi_extra=PUBLIC_SECURITY,
)
def wave_questionnaire_view(request: HttpRequest, year: int = Year):
    """The questionnaire as the wave keeps it (the model of the YAML file)."""
    questionnaire, _tables = wave_questionnaire(visible_wave(caller(request), year))
    return questionnaire


@router.get(
    "/{year}/estimates",
    response=responses({200: PublishedEstimates}, 404),
    auth=OPTIONAL,
    url_name="wave_estimates",
    operation_id="wave_estimates",
    by_alias=True,
    summary="The published sector estimates",
    openapi_extra=PUBLIC_SECURITY,
)
def wave_estimates(request: HttpRequest, year: int = Year):
    """Published waves only, for everyone alike: the figures of the public page, suppressed
    as there (a suppressed figure has no number, and says why)."""
    return published_estimates(published_wave(year))


# --- the operator's writes ----------------------------------------------------------------


def _too_large(name: str, size: int, field: str) -> list[Problem]:
    limit = max_upload_mb()
    if size <= limit * MEGABYTE:
        return []
    return [
        problem(
            field,
            Code.API_FILE_TOO_LARGE,
            name=name,
            size=f"{size / MEGABYTE:.1f}",
            limit=limit,
        )
    ]


def _questionnaire_text(
    upload: UploadedFile | None, name: str | None
) -> tuple[str, str, list[Problem]]:
    """The questionnaire's text and name, from the file sent or a built-in questionnaire."""
    if upload is None:
        chosen = name or "hlm-2026"
        return builtin_path(chosen).read_text(encoding="utf-8"), f"{chosen}.yaml", []
    found = _too_large(upload.name or "questionnaire", upload.size or 0, "questionnaire")
    if found:
        return "", upload.name or "questionnaire", found
    try:
        return upload.read().decode("utf-8-sig"), upload.name or "questionnaire.yaml", []
    except UnicodeDecodeError:
        name = upload.name or "questionnaire"
        return "", name, [problem("questionnaire", Code.API_NOT_UTF8, name=name)]


@router.post(
    "",
    response=responses({202: JobOut}, 403),
    auth=OPERATOR,
    url_name="waves",
    operation_id="wave_create",
    by_alias=True,
    summary="Create a wave from files (operators)",
)
def wave_create(
    request: HttpRequest,
    data: Form[WaveCreateForm],
    frame: File[UploadedFile],
    questionnaire: File[UploadedFile | None] = None,
):
    """A frame CSV (and a questionnaire YAML, else a built-in one) become a wave in the
    background: the answer is the `wave_create` job to poll; its problems, if the files have
    any, come with the failed job, each with its file and line."""
    who = caller(request)  # an operator (OPERATOR)
    problems: list[Problem] = []
    if Wave.objects.filter(year=data.year).exists():
        problems.append(problem("year", Code.API_WAVE_EXISTS, year=data.year))
    text, questionnaire_source, found = _questionnaire_text(questionnaire, data.questionnaire_name)
    problems += found
    frame_name = frame.name or "frame.csv"
    frame_csv = ""
    found = _too_large(frame_name, frame.size or 0, "frame")
    problems += found
    if not found:
        try:
            frame_csv, _format = read_csv_upload(frame, FrameError)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError("request", problems)
    with transaction.atomic():
        job = wave_create_job_start(
            year=data.year,
            title=data.title,
            questionnaire_yaml=text,
            frame_csv=frame_csv,
            questionnaire_source=questionnaire_source,
            frame_source=frame_name,
        )
        record(
            action=AuditEntry.Action.WAVE_CREATE,
            user=who.user,
            target=frame_name,
            detail=f"year {data.year}, through the API (job {job.pk})",
        )
    return Status(202, job_out(job))


#: A problem of the invitations file: the CSV's line of each invitation.
_LINE = re.compile(r"^invitations:(\d+)$")


def _at_index(found: Problem) -> Problem:
    """A problem of the CSV made from the list, located at its index in the list."""
    match = _LINE.match(found.location)
    if match is None:
        return found
    return dataclasses.replace(found, location=f"invitations.{int(match.group(1)) - 2}")


def _as_csv(body: InvitationsIn) -> str:
    """The invitations as the operator's CSV: the header, then invitation i on line i + 2."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["organisation_id", "email"])
    for invitation in body.invitations:
        writer.writerow([invitation.organisation_id, invitation.email])
    return text.getvalue()


@router.post(
    "/{year}/invitations",
    response=responses({201: InvitationsOut}, 403, 404),
    auth=OPERATOR,
    url_name="wave_invitations",
    operation_id="referents_invite",
    by_alias=True,
    summary="Invite the referents of organisations (operators)",
)
def referents_invite(request: HttpRequest, body: InvitationsIn, year: int = Year):
    """The service of the operator's wave page: one referent link per invitation and its
    e-mail queued, all or none; every problem at once, located at its index in the list."""
    who = caller(request)  # an operator (OPERATOR)
    wave = Wave.objects.filter(year=year).first()
    if wave is None:
        raise ApiProblem(NOT_FOUND)
    csv_text, skipped_rows = _as_csv(body), list[InvitationRow]()
    if not body.invite_again:
        csv_text, skipped_rows = skip_already_invited(
            wave=wave, csv_text=csv_text, source="invitations"
        )
    try:
        with transaction.atomic():
            links = referents_from_csv(
                wave=wave,
                csv_text=csv_text,
                source="invitations",
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
            record(
                action=AuditEntry.Action.REFERENTS_INVITE,
                user=who.user,
                wave=wave,
                target="API",
                count=len(links),
            )
    except InputError as exc:
        raise InputError(exc.source, [_at_index(p) for p in exc.problems]) from None
    skipped = [
        SkippedInvitation(index=row.line - 2, organisation_id=row.organisation, email=row.email)
        for row in skipped_rows
    ]
    return Status(201, InvitationsOut(invited=len(links), skipped=skipped))
