"""Exports of a wave as files (issue 12 §1, the web shell): requested in a page or the REST
API, made by the background worker, downloaded by whoever asked.

The core (`barometre.interop.exports`) writes the files; this module decides who may ask for
what, reads the wave from the database into the core's `WaveData`, runs the export as a job
(kind `wave_export`) and serves the file. The public functions, which the back office, the
referent's pages and the REST API all call (keep their names):

- `request_export(*, user, wave, table, fmt, language, organisation=None) -> Job`: checks the
  permission (`PermissionDenied`) and the request (`ExportRefused`, a translated message),
  then starts the job — or returns the same request's job already under way.
- `make_export(job, progress) -> str`: the job's handler (`jobs/registry.py`); returns the
  file's path.
- `export_file(*, user, job) -> ExportFile`: the file of a finished export, permission checked
  again (`Http404` for a job the user may not download, `ExportNotReady`, `ExportExpired`);
  `export_response(*, user, job)` serves it (`FileResponse`, attachment, its content type).
- `exports_for(*, user, wave, organisation=None) -> list[ExportRow]`: the recent exports a
  page lists.
- `export_params(job) -> ExportParams`: the job's typed request; `ExportForm` the request form.
- Every export started and every download is written to the audit log (`EXPORT_REQUEST`,
  `EXPORT_DOWNLOAD`: who, the wave, `audit_target(params)` — table, format, organisation —
  and the job; never an address).
- `exports_expire() -> int`: deletes the exports older than
  `BAROMETRE_EXPORT_RETENTION_DAYS` (7 by default), their files and their jobs.

Who may ask: an operator (staff), for any wave with computed results, the whole wave or one
organisation of its frame; a referent (a current member of the organisation), for its own
organisation only, in a wave whose results it sees (open or later, computed): its item and
organisation scores, never its colleagues' answers nor the sector estimates table. Exports
hold personal data (answers under pseudonyms): an export is downloaded only by the person who
asked, or, when an operator asked, by any operator; it is
deleted after the retention period. Respondents' e-mail addresses are never read; their ids
(already random pseudonyms in the database) are replaced by the core with HMAC pseudonyms
under a key derived from the server's secret key and the wave's id: stable within a wave,
different between waves.
"""

from __future__ import annotations

import hashlib
import hmac
import shutil
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal, get_args

import pandas as pd
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from barometre.errors import InputError, Problem
from barometre.identifiers import file_in, is_identifier
from barometre.interop.exports.choices import FORMAT_SUFFIX
from barometre.questionnaire.relevance import drop_hidden_answers
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.campaigns.models import FrameEntry, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.services import ActionRefused
from barometre.web.jobs.models import Job
from barometre.web.jobs.services import JobFailed, Progress, job_start
from barometre.web.organisations.models import Organisation
from barometre.web.organisations.selectors import may_act_for, organisation_waves
from barometre.web.responses.models import Answer

#: The job's kind (`jobs/registry.py`).
EXPORT = "wave_export"

#: The tables and formats of the core (`barometre.interop.exports.ExportTable`,
#: `ExportFormat`; a test checks they are the same).
TableName = Literal["organisations", "items", "responses", "responses-long", "estimates"]
FormatName = Literal["csv", "csv-fr", "xlsx", "sav", "dta", "parquet"]
Language = Literal["fr", "en"]
TABLES: tuple[TableName, ...] = get_args(TableName)
FORMATS: tuple[FormatName, ...] = get_args(FormatName)
#: What a referent may export of its organisation: the consolidated scores, never a
#: colleague's own answers. With a role or two per person, a pseudonym would not hide who
#: answered what (free text included), which the results pages take care never to show
#: (the perception gap needs two respondents on each side); the operator, bound by the
#: survey's confidentiality, gets the answers under pseudonyms (docs/privacy.md).
ORGANISATION_TABLES: tuple[TableName, ...] = ("items", "organisations")
#: The tables made from the answers (the others from the computed results).
RESPONSE_TABLES = frozenset({"responses", "responses-long"})
#: The value of the form's table for "every table", one sheet each (XLSX only).
ALL_TABLES = "all"

TABLE_LABELS: dict[str, Promise] = {
    "organisations": gettext_lazy("Organisation scores (one row per organisation)"),
    "items": gettext_lazy("Item scores (one row per organisation)"),
    "responses": gettext_lazy("Answers, one row per respondent"),
    "responses-long": gettext_lazy("Answers, one row per answer (as stored)"),
    "estimates": gettext_lazy("Sector estimates"),
    ALL_TABLES: gettext_lazy("Every table, one sheet each (XLSX only)"),
}
FORMAT_LABELS: dict[str, Promise] = {
    "csv": gettext_lazy("CSV (UTF-8, comma)"),
    "csv-fr": gettext_lazy("CSV for French Excel (semicolon, decimal comma)"),
    "xlsx": gettext_lazy("Excel workbook (XLSX) with its codebook"),
    "sav": gettext_lazy("SPSS (.sav) with labels"),
    "dta": gettext_lazy("Stata (.dta) with labels"),
    "parquet": gettext_lazy("Parquet"),
}
LANGUAGE_LABELS: dict[str, Promise] = {
    "fr": gettext_lazy("French"),
    "en": gettext_lazy("English"),
}
#: The file name's ending (the core's, `FORMAT_SUFFIX`) and the download's content type of
#: each format.
SUFFIXES: dict[str, str] = {str(name): suffix for name, suffix in FORMAT_SUFFIX.items()}
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "csv-fr": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "parquet": "application/vnd.apache.parquet",
}
#: Exports a page lists (the most recent).
LISTED = 20


class ExportRefused(ActionRefused):
    """A request the wave or the table does not allow (its message says why, translated)."""


class ExportNotReady(Http404):
    """The export is waiting, running or failed: it has no file to download."""


class ExportExpired(Http404):
    """The export was older than the retention period: its file is deleted."""


class StoredProblem(BaseModel):
    """A problem of the core kept with the job, shown later in the reader's language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    location: str
    code: str
    message: str
    template: str | None = None
    params: dict[str, str | int | float | None] = Field(default_factory=dict)

    def problem(self) -> Problem:
        return Problem(**self.model_dump())  # read back from a stored problem


class ExportParams(BaseModel):
    """What was asked (a job's `params`): the table (None for every table, XLSX only), the
    format, the language of labels, the organisation (None for the whole wave), who asked and
    whether as an operator; and, once failed, the core's problems."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: TableName | None
    format: FormatName
    language: Language = "fr"
    organisation: str | None = None
    requested_by: int
    by_operator: bool
    problems: tuple[StoredProblem, ...] = ()

    def same_request(self, other: ExportParams) -> bool:
        return self.model_dump(exclude={"problems"}) == other.model_dump(exclude={"problems"})


def export_params(job: Job) -> ExportParams:
    return ExportParams.model_validate(job.params)


def retention_days() -> int:
    """Days an export is kept: the setting BAROMETRE_EXPORT_RETENTION_DAYS (read from the
    environment and checked by the settings, 7 by default)."""
    return int(settings.BAROMETRE_EXPORT_RETENTION_DAYS)


def exports_root() -> Path:
    """The folder of every export: BAROMETRE_DATA_DIR/exports."""
    return (Path(settings.DATA_DIR) / "exports").resolve()


def _job_folder(wave: Wave, job: Job) -> Path:
    return exports_root() / str(wave.year) / f"job-{job.pk}"


def _inside_root(path: Path) -> bool:
    return path.resolve().is_relative_to(exports_root())


# --- requesting ------------------------------------------------------------------------------


def _check_request(
    *, user, wave: Wave, table: str | None, fmt: str, language: str, organisation: str | None
) -> None:
    """Who may ask for what (module docstring): `PermissionDenied`, or `ExportRefused` with
    the reason for a request the person may make but not now, or not so."""
    if not user.is_authenticated:
        raise PermissionDenied
    if organisation is not None and not is_identifier(organisation):
        raise ExportRefused(
            _("%(organisation)s is not an organisation's identifier.")
            % {"organisation": organisation[:64]}
        )
    if not user.is_staff:
        found = (
            Organisation.objects.filter(external_id=organisation).first() if organisation else None
        )
        if found is None or not may_act_for(user=user, organisation=found):
            raise PermissionDenied
        if not organisation_waves(organisation=found).filter(pk=wave.pk).exists():
            raise PermissionDenied
        if table is not None and table not in ORGANISATION_TABLES:
            raise PermissionDenied
    if table is not None and table not in TABLES:
        raise ExportRefused(
            _("%(table)s is not a table of an export.") % {"table": str(table)[:40]}
        )
    if fmt not in FORMATS:
        raise ExportRefused(
            _("%(format)s is not a format of an export.") % {"format": str(fmt)[:40]}
        )
    if language not in ("fr", "en"):
        raise ExportRefused(_("The labels of an export are in French or in English."))
    if table is None and fmt != "xlsx":
        raise ExportRefused(
            _("Every table in one file needs the XLSX format (one sheet each); choose one table.")
        )
    scores = wave.scores
    if scores is None:
        raise ExportRefused(
            _("The wave %(year)s has no computed results yet: it is exported once computed.")
            % {"year": wave.year}
        )
    if organisation is not None:
        if not FrameEntry.objects.filter(
            wave=wave, organisation__external_id=organisation
        ).exists():
            raise ExportRefused(
                _("%(organisation)s is not an organisation of the frame of the wave %(year)s.")
                % {"organisation": organisation, "year": wave.year}
            )
        if scores.organisation(organisation) is None:
            raise ExportRefused(
                _("%(organisation)s has no results in the wave %(year)s: nothing to export.")
                % {"organisation": organisation, "year": wave.year}
            )
    if table == "estimates" and wave.estimates is None:
        raise ExportRefused(_("The wave %(year)s has no sector estimate.") % {"year": wave.year})


def request_export(
    *,
    user,
    wave: Wave,
    table: str | None,
    fmt: str,
    language: str = "fr",
    organisation: str | None = None,
) -> Job:
    """Start the export of a wave's table (`table` None: every table, XLSX only) in a format,
    with labels in `language`, of the whole wave or of one organisation (its identifier).

    The permission is checked here (module docstring); a referent always asks for its
    organisation. The same request by the same person while one is waiting or running
    returns that job: pressing the button twice makes one file. Expired exports are deleted
    first."""
    if organisation == "":
        organisation = None
    _check_request(
        user=user, wave=wave, table=table, fmt=fmt, language=language, organisation=organisation
    )
    exports_expire()
    params = ExportParams(
        table=table,  # checked above
        format=fmt,
        language=language,
        organisation=organisation,
        requested_by=user.pk,
        by_operator=bool(user.is_staff),
    )
    with transaction.atomic():
        Wave.objects.select_for_update().filter(pk=wave.pk).first()  # one request at a time
        under_way = Job.objects.filter(
            kind=EXPORT,
            wave=wave,
            status__in=[Job.Status.PENDING, Job.Status.RUNNING],
            params__requested_by=user.pk,
        )
        for job in under_way:
            if export_params(job).same_request(params):
                return job
        job = job_start(kind=EXPORT, wave=wave, params=params.model_dump(mode="json"), unique=False)
        record(
            action=AuditEntry.Action.EXPORT_REQUEST,
            user=user,
            wave=wave,
            target=audit_target(params),
            detail=f"job {job.pk}",
        )
        return job


def audit_target(params: ExportParams) -> str:
    """What an export's audit entries name: its table, format and organisation (never who
    is in it), e.g. "table responses, format dta, organisation SYN-0001"."""
    table = params.table or ALL_TABLES
    organisation = params.organisation or "whole wave"
    return f"table {table}, format {params.format}, organisation {organisation}"


# --- making the file -------------------------------------------------------------------------


def pseudonym_key(wave: Wave) -> bytes:
    """The key of the respondents' pseudonyms in the wave's exports: HMAC-SHA256 of the wave's
    id under the server's secret key. The same in every export of the wave (so that two
    exports join), another in another wave (so that waves do not), unknown to anyone without
    the secret key."""
    message = f"barometre wave export pseudonyms {wave.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).digest()


#: Rows read from the database at a time (the answers of a wave are read column by column).
_FETCH = 100_000


def export_responses(*, wave: Wave, organisation: str | None = None) -> pd.DataFrame:
    """Every answer of the wave (of one organisation), in the responses-file contract, as the
    computation reads them (`selectors.wave_responses`): answers never sent count too. The
    respondent is its pseudonym; no e-mail address is read."""
    answers = Answer.objects.filter(respondent__wave=wave)
    if organisation is not None:
        answers = answers.filter(respondent__organisation__external_id=organisation)
    query = answers.order_by("respondent__pseudonym", "field_id").values_list(
        "respondent__organisation__external_id",
        "respondent__pseudonym",
        "respondent__role",
        "field_id",
        "value",
    )
    sql, sql_params = query.query.sql_with_params()
    parts: list[pd.DataFrame] = []
    with connection.cursor() as cursor:  # in chunks: never every row as Python tuples at once
        cursor.execute(sql, sql_params)
        while rows := cursor.fetchmany(_FETCH):
            parts.append(pd.DataFrame(rows, columns=RESPONSE_COLUMNS, dtype=object))
    if not parts:
        return pd.DataFrame(columns=RESPONSE_COLUMNS, dtype=object)
    # answers kept although their conditions now hide them count as unanswered
    return drop_hidden_answers(
        pd.concat(parts, ignore_index=True), wave_questionnaire(wave)[1].relevance
    )


class _Reporter:
    """The core's progress (`progress(done, total)`) as the job's, written at most twice a
    second (every write is a query)."""

    def __init__(self, progress: Progress, every: float = 0.5):
        self.progress = progress
        self.every = every
        self.total = -1
        self.done = 0
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total != self.total:
            self.total = total
            self.progress.total(total)
        now = time.monotonic()
        if done >= total or now - self.last >= self.every:
            self.last = now
            self.done = done
            self.progress.step(done)

    def finish(self) -> None:
        if self.total <= 0:
            self.progress.total(1)
            self.total = 1
        self.progress.step(self.total)


def make_export(job: Job, progress: Progress) -> str:
    """The export asked by `request_export`, written into its own folder under
    BAROMETRE_DATA_DIR/exports (by the core: a temporary name, then renamed); returns the
    file's path. Run again after a worker died, it writes the file again. A problem the
    core finds (an XLSX sheet too long...) fails the job and is kept with it, to be shown in
    the reader's language (`export_problems`)."""
    from barometre.interop.exports import WaveData, write_export

    assert job.wave_id is not None  # started by request_export, with its wave
    params = export_params(job)
    wave = Wave.objects.get(pk=job.wave_id)
    exports_expire()
    if wave.scores is None:
        raise JobFailed(
            _("The wave %(year)s has no computed results any more.") % {"year": wave.year}
        )
    questionnaire, _tables = wave_questionnaire(wave)
    every_table = TABLES if params.by_operator else ORGANISATION_TABLES
    tables = {params.table} if params.table is not None else set(every_table)
    responses = (
        export_responses(wave=wave, organisation=params.organisation)
        if tables & RESPONSE_TABLES
        else None
    )
    data = WaveData(
        questionnaire=questionnaire,
        scores=wave.scores,
        responses=responses,
        # one organisation's export never carries the sector's figures
        estimates=wave.estimates if params.organisation is None else None,
        pseudonym_key=pseudonym_key(wave),
        organisations=frozenset({params.organisation}) if params.organisation else None,
        source=f"wave {wave.year}",
    )
    folder = _job_folder(wave, job)
    target = file_in(folder, params.table or "tables", SUFFIXES[params.format])
    if target is None:  # a table name is one of TABLES: this cannot happen
        raise JobFailed(_("The export has no file name."))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.tmp"):  # left by a worker killed mid-write
        stale.unlink(missing_ok=True)
    reporter = _Reporter(progress)
    try:  # the core writes under a temporary name, then renames: all or nothing
        write_export(
            data,
            params.table,  # the core's names (test_the_tables_and_formats_are_the_cores)
            params.format,
            target,
            language=params.language,
            progress=reporter,
        )
    except InputError as exc:
        stored = [
            StoredProblem(
                location=p.location,
                code=str(p.code),
                message=p.message,
                template=p.template,
                params={k: _plain(v) for k, v in (p.params or {}).items()},
            )
            for p in exc.problems
        ]
        failed = params.model_copy(update={"problems": tuple(stored)})
        Job.objects.filter(pk=job.pk).update(params=failed.model_dump(mode="json"))
        raise JobFailed(str(exc)) from None
    reporter.finish()
    return str(target)


def _plain(value) -> str | int | float | None:
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def export_problems(job: Job) -> list[Problem]:
    """The problems the core found in a failed export, to show in any language."""
    return [stored.problem() for stored in export_params(job).problems]


# --- listing and downloading -----------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    """An export as a page lists it."""

    job: Job
    params: ExportParams
    table_label: str
    format_label: str
    language_label: str
    expires_at: object  # a datetime once done, else None
    problems: tuple[Problem, ...]
    #: Where the page downloads it (each page has its own URL).
    download_url: str = ""

    @property
    def share(self) -> float:
        """The share done, 0 to 1."""
        if self.job.status == Job.Status.DONE:
            return 1.0
        return min(self.job.done / self.job.total, 1.0) if self.job.total else 0.0

    @property
    def downloadable(self) -> bool:
        return self.job.status == Job.Status.DONE and bool(self.job.output)


def _row(job: Job) -> ExportRow:
    params = export_params(job)
    finished = job.finished_at if job.status == Job.Status.DONE else None
    return ExportRow(
        job=job,
        params=params,
        table_label=str(TABLE_LABELS[params.table or ALL_TABLES]),
        format_label=str(FORMAT_LABELS[params.format]),
        language_label=str(LANGUAGE_LABELS[params.language]),
        expires_at=finished + timedelta(days=retention_days()) if finished else None,
        problems=tuple(stored.problem() for stored in params.problems),
    )


def exports_for(*, user, wave: Wave, organisation: Organisation | None = None) -> list[ExportRow]:
    """The recent exports of the wave a page lists: on the operator's page (`organisation`
    None) every operator's; on an organisation's page those this person asked for it."""
    jobs = Job.objects.filter(kind=EXPORT, wave=wave)
    if organisation is None:
        if not user.is_staff:
            return []
        jobs = jobs.filter(params__by_operator=True)
    else:
        jobs = jobs.filter(
            params__organisation=organisation.external_id, params__requested_by=user.pk
        )
    return [_row(job) for job in jobs.order_by("-created_at", "-pk")[:LISTED]]


def may_download(*, user, job: Job) -> bool:
    """The person who asked (still a member of the organisation, for a referent), or any
    operator for an export an operator asked."""
    if not user.is_authenticated or job.kind != EXPORT:
        return False
    params = export_params(job)
    if params.by_operator and user.is_staff:
        return True
    if params.requested_by != user.pk:
        return False
    if user.is_staff:
        return True
    organisation = Organisation.objects.filter(external_id=params.organisation).first()
    return organisation is not None and may_act_for(user=user, organisation=organisation)


@dataclass(frozen=True)
class ExportFile:
    """A finished export's file: where it is, the name it is downloaded under, its type."""

    path: Path
    filename: str
    content_type: str


def download_name(wave: Wave, params: ExportParams) -> str:
    parts = ["barometre", str(wave.year)]
    if params.organisation:
        parts.append(params.organisation)
    parts.append(params.table or "tables")
    if params.format == "csv-fr":
        parts.append("excel-fr")
    return "-".join(parts) + SUFFIXES[params.format]


def export_file(*, user, job: Job) -> ExportFile:
    """The file of a finished export, for the person who may download it (`may_download`):
    `Http404` for anyone else (an export one may not download does not exist for them),
    `ExportNotReady` before it is done, `ExportExpired` after the retention period."""
    if not may_download(user=user, job=job):
        raise Http404
    if job.status != Job.Status.DONE or not job.output:
        raise ExportNotReady
    assert job.finished_at is not None  # done
    path = Path(job.output)
    if job.finished_at < timezone.now() - timedelta(days=retention_days()) or not path.exists():
        raise ExportExpired
    if not _inside_root(path):  # a path that is not an export's is never served
        raise Http404
    params = export_params(job)
    assert job.wave is not None
    return ExportFile(
        path=path.resolve(),
        filename=download_name(job.wave, params),
        content_type=CONTENT_TYPES[params.format],
    )


def export_response(*, user, job: Job) -> FileResponse:
    """The download: the file streamed, as an attachment, with its format's content type;
    written to the audit log (who, the wave, table, format and organisation)."""
    found = export_file(user=user, job=job)
    record(
        action=AuditEntry.Action.EXPORT_DOWNLOAD,
        user=user,
        wave=job.wave,
        target=audit_target(export_params(job)),
        detail=f"job {job.pk}",
    )
    return FileResponse(
        found.path.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=found.content_type,
    )


# --- retention -------------------------------------------------------------------------------


def exports_expire(*, now=None) -> int:
    """Delete the exports finished more than `retention_days()` ago: their folder and their
    job; and the folders of exports whose job is gone (its wave deleted) once as old. Returns
    the number of exports deleted. Run when an export is asked for and when one is made."""
    now = now or timezone.now()
    threshold = now - timedelta(days=retention_days())
    expired = Job.objects.filter(kind=EXPORT, finished_at__lt=threshold).select_related("wave")
    count = 0
    for job in expired:
        if job.wave is not None:
            _remove(_job_folder(job.wave, job))
        if job.output:
            output = Path(job.output)
            if _inside_root(output):
                _remove(output.parent)
        job.delete()
        count += 1
    root = exports_root()
    if root.is_dir():
        known = set(Job.objects.filter(kind=EXPORT).values_list("pk", flat=True))
        for folder in root.glob("*/job-*"):
            number = folder.name.removeprefix("job-")
            old = folder.stat().st_mtime < threshold.timestamp()
            if old and (not number.isdigit() or int(number) not in known):
                _remove(folder)
                count += 1
    return count


def _remove(folder: Path) -> None:
    if folder.is_dir() and _inside_root(folder) and folder.resolve() != exports_root():
        shutil.rmtree(folder, ignore_errors=True)


# --- the request form ------------------------------------------------------------------------


class ExportForm(forms.Form):
    """Table, format, language (and, for an operator, one organisation or the whole wave)."""

    table = forms.ChoiceField(label=gettext_lazy("Table"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS]
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the labels"),
        choices=[(code, LANGUAGE_LABELS[code]) for code in ("fr", "en")],
        initial="fr",
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation (identifier; empty for the whole wave)"),
        required=False,
        max_length=64,
    )

    def __init__(self, *args, operator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        tables = TABLES if operator else ORGANISATION_TABLES
        choices = [(t, TABLE_LABELS[t]) for t in tables] + [(ALL_TABLES, TABLE_LABELS[ALL_TABLES])]
        table = self.fields["table"]
        assert isinstance(table, forms.ChoiceField)
        table.choices = choices
        if not operator:
            del self.fields["organisation"]

    def clean_organisation(self) -> str | None:
        value = self.cleaned_data.get("organisation", "").strip()
        if value and not is_identifier(value):
            raise forms.ValidationError(
                gettext_lazy("An organisation's identifier has letters, digits, '-', '_' and '.'.")
            )
        return value or None

    def table_value(self) -> str | None:
        table = self.cleaned_data["table"]
        return None if table == ALL_TABLES else table
