"""Long work as jobs: an export asked for, then polled, then downloaded; the creation of a
wave from files, polled.

Who sees a job: an export, whoever may download it (the web export service's rule,
`campaigns.exports.may_download`: the person who asked, or any operator for an operator's
export); any other job (a wave's creation, computation, reports), the operators. Any other
job is, for the caller, a job that does not exist (404).
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status
from pydantic import Field

from barometre.web.api.auth import REQUIRED, Caller, caller
from barometre.web.api.errors import CONFLICT, FORBIDDEN, NOT_FOUND, ApiProblem, item
from barometre.web.api.routers import responses, url
from barometre.web.api.schemas import MAX_ID, MAX_YEAR, MIN_YEAR, JobLinks, JobOut, Progress
from barometre.web.campaigns import exports
from barometre.web.campaigns.jobs import CREATE, job_problems
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import ActionRefused
from barometre.web.jobs.models import Job

router = Router(tags=["jobs"])
exports_router = Router(tags=["exports"])

JobId = Path(..., ge=1, le=MAX_ID, description="The job's identifier.")


def _problems(job: Job) -> list:
    if job.status != Job.Status.FAILED:
        return []
    if job.kind == CREATE:
        return [item(found) for found in job_problems(job)]
    if job.kind == exports.EXPORT:
        return [item(found) for found in exports.export_problems(job)]
    return []


def _wave_year(job: Job) -> int | None:
    if job.wave_id is None:
        return None
    return Wave.objects.filter(pk=job.wave_id).values_list("year", flat=True).first()


def job_out(job: Job) -> JobOut:
    year = _wave_year(job)
    downloadable = job.kind == exports.EXPORT and job.status == Job.Status.DONE
    return JobOut(
        id=job.pk,
        kind=job.kind,
        status=job.status,  # type: ignore[arg-type]
        progress=Progress(done=job.done, total=job.total),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=job.error or None,
        errors=_problems(job),
        wave_year=year,
        links=JobLinks(
            self=url("job", job_id=job.pk),
            download=url("job_download", job_id=job.pk) if downloadable else None,
            wave=url("wave", year=year) if year is not None else None,
        ),
    )


def _visible_job(who: Caller, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise ApiProblem(NOT_FOUND)
    if job.kind == exports.EXPORT:  # the export service's rule: who may download it
        visible = exports.may_download(user=who.user, job=job)
    else:
        visible = who.is_operator
    if not visible:
        raise ApiProblem(NOT_FOUND)
    return job


@router.get(
    "/{job_id}",
    response=responses({200: JobOut}, 404),
    auth=REQUIRED,
    url_name="job",
    operation_id="job_detail",
    by_alias=True,
    summary="A job: its status and progress",
)
def job_detail(request: HttpRequest, job_id: int = JobId):
    return job_out(_visible_job(caller(request), job_id))


#: What an export's download may be: the content types of the formats.
DOWNLOAD_CONTENT = {
    content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for content_type in sorted(set(exports.CONTENT_TYPES.values()))
}


@router.get(
    "/{job_id}/download",
    response=responses({200: None}, 404, 409),
    auth=REQUIRED,
    url_name="job_download",
    operation_id="job_download",
    by_alias=True,
    summary="The file of a finished export",
    openapi_extra={
        "responses": {200: {"description": "The export's file.", "content": DOWNLOAD_CONTENT}}
    },
)
def job_download(request: HttpRequest, job_id: int = JobId):
    """Only for who may download the export (who asked, or any operator for an operator's
    export); 409 while it is not done, 404 once its retention period is over."""
    who = caller(request)
    job = _visible_job(who, job_id)
    if job.kind != exports.EXPORT:
        raise ApiProblem(NOT_FOUND, _("This job has no file to download."))
    try:
        return exports.export_response(user=who.user, job=job)
    except exports.ExportNotReady:
        raise ApiProblem(
            CONFLICT, _("The export is not finished: poll the job until it is done.")
        ) from None
    except exports.ExportExpired:
        raise ApiProblem(
            NOT_FOUND, _("The export was deleted at the end of its retention period.")
        ) from None
    except Http404:
        raise ApiProblem(NOT_FOUND) from None


class ExportIn(Schema):
    table: exports.TableName | Literal["all"] = Field(
        description="The table, or `all` for every table in one XLSX workbook."
    )
    format: exports.FormatName
    language: Literal["fr", "en"] = Field("fr", description="The language of the labels.")
    organisation_id: str | None = Field(
        None,
        max_length=64,
        description="One organisation of the frame (a referent always names its own); "
        "null for the whole wave.",
    )


@exports_router.post(
    "/{year}/exports",
    response=responses({202: JobOut}, 403, 404, 409),
    auth=REQUIRED,
    url_name="wave_exports",
    operation_id="export_request",
    by_alias=True,
    summary="Ask for an export of a wave",
)
def export_request(
    request: HttpRequest,
    body: ExportIn,
    year: int = Path(..., ge=MIN_YEAR, le=MAX_YEAR),
):
    """The export is made by the worker: the answer is its job, to poll (`GET /jobs/{id}`)
    and, once done, to download. The same request while one is under way returns that job.
    An operator exports any computed wave; a referent its own organisation only."""
    who = caller(request)
    if not who.user.is_authenticated:
        raise ApiProblem(FORBIDDEN)
    wave = Wave.objects.filter(year=year).first()
    if wave is None:
        raise ApiProblem(NOT_FOUND)
    try:
        job = exports.request_export(
            user=who.user,
            wave=wave,
            table=None if body.table == "all" else body.table,
            fmt=body.format,
            language=body.language,
            organisation=body.organisation_id,
        )
    except ActionRefused as refused:
        raise ApiProblem(CONFLICT, str(refused)) from None
    return Status(202, job_out(job))
