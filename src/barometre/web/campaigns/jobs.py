"""The long work of a wave, run by the background worker (see `web/jobs`).

Each handler can be run again after its worker was killed: the reports already made are kept
(each PDF is written under a temporary name, then renamed) and the next attempt makes only the
others; the computation of a wave writes its results in one short transaction at the end.
"""

from __future__ import annotations

import logging
import shutil
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from barometre.errors import InputError, Problem
from barometre.files import write_atomic
from barometre.identifiers import file_in
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import ActionRefused
from barometre.web.jobs.models import Job
from barometre.web.jobs.services import JobFailed, Progress, active_job, job_start
from barometre.web.organisations.models import Organisation

logger = logging.getLogger("barometre.jobs")

REPORTS = "wave_reports"
COMPUTE = "wave_compute"
CREATE = "wave_create"


def reports_folder(wave: Wave) -> Path:
    return Path(settings.DATA_DIR) / "reports" / str(wave.year)


def _scored_organisations(wave: Wave) -> list[str]:
    if wave.scores is None:
        return []
    return [o.organisation_id for o in wave.scores.organisations if o.scored]


def running_job(wave: Wave) -> Job | None:
    """The wave's reports job under way, if any."""
    return active_job(kind=REPORTS, wave=wave)


def latest_job(wave: Wave | None, kind: str = REPORTS, done: bool = False) -> Job | None:
    """The wave's last job of this kind (the last one done, with `done`)."""
    jobs = Job.objects.filter(wave=wave, kind=kind)
    if done:
        jobs = jobs.filter(status=Job.Status.DONE).order_by("-finished_at")
    return jobs.first()


def report_job_start(*, wave: Wave) -> Job:
    """Start making every report of the wave; a job already under way is returned instead.
    The wave must have been computed."""
    if not Wave.objects.filter(pk=wave.pk, scores__isnull=False).exists():
        raise ActionRefused(_("Compute the wave before making its reports."))
    return job_start(kind=REPORTS, wave=wave, total=len(_scored_organisations(wave)))


def make_wave_reports(job: Job, progress: Progress) -> str:
    """Every organisation report of the wave as PDF, made by a pool of processes on every
    core (`reports.batch`; at most `BAROMETRE_REPORT_WORKERS`), then one zip archive of them
    all. A report that fails does not stop the others; the job then fails naming it."""
    from barometre.reports.batch import ReportTask, make_reports
    from barometre.web.organisations.report import wave_answers, wave_reports

    assert job.wave_id is not None  # started by report_job_start, with its wave
    wave = Wave.objects.get(pk=job.wave_id)
    ids = _scored_organisations(wave)
    progress.total(len(ids))
    parts = reports_folder(wave) / f"job-{job.pk}"  # one folder per job: no two jobs mix
    parts.mkdir(parents=True, exist_ok=True)
    for stale in reports_folder(wave).glob(".*.tmp"):  # left by a worker killed mid-write
        stale.unlink(missing_ok=True)
    organisations = {o.external_id: o for o in Organisation.objects.filter(external_id__in=ids)}
    tasks = []
    for organisation_id in ids:
        target = file_in(parts, organisation_id, ".pdf")
        if target is None:  # an identifier stored before identifiers were checked
            raise JobFailed(
                _("%(organisation)s cannot name a file: its report cannot be made.")
                % {"organisation": organisation_id}
            )
        if not target.exists():  # else made by an earlier attempt of this job
            tasks.append(ReportTask(organisation_id, target, organisations[organisation_id].name))
    done = len(ids) - len(tasks)
    progress.step(done)
    failed = []
    if tasks:
        answers = wave_answers(wave=wave)
        tasks = [replace(task, answers=answers.get(task.organisation_id)) for task in tasks]
        outcomes = make_reports(wave_reports(wave=wave), tasks, before_start=_close_connections)
        for outcome in outcomes:
            if not outcome.written:
                failed.append(outcome.organisation_id)
                logger.error(
                    "report of %s (job %s) failed: %s\n%s",
                    outcome.organisation_id,
                    job.pk,
                    outcome.error,
                    outcome.detail,
                )
            done += 1
            progress.step(done)
    if failed:
        raise JobFailed(
            ngettext(
                "The report of %(organisations)s could not be made (the server log has the "
                "details); the other reports are made.",
                "The reports of %(organisations)s could not be made (the server log has the "
                "details); the other reports are made.",
                len(failed),
            )
            % {"organisations": ", ".join(failed)}
        )
    archive = reports_folder(wave) / f"rapports-{wave.year}.zip"

    def bundle(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for organisation_id in ids:
                zipped.write(parts / f"{organisation_id}.pdf", f"{organisation_id}.pdf")

    write_atomic(archive, bundle)
    shutil.rmtree(parts, ignore_errors=True)
    return str(archive)


def _close_connections() -> None:
    """Before the report processes start: no database connection is shared with them (they
    are spawned and use none; a connection inside a transaction is left to it)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def compute_job_start(*, wave: Wave) -> Job:
    return job_start(kind=COMPUTE, wave=wave)


def compute_wave(job: Job, progress: Progress) -> str:
    from barometre.web.campaigns.computation import wave_compute

    assert job.wave_id is not None  # started by compute_job_start, with its wave
    wave = Wave.objects.get(pk=job.wave_id)
    try:
        wave_compute(wave=wave)
    except ValueError as exc:
        raise JobFailed(str(exc)) from None
    return ""


def wave_create_job_start(
    *,
    year: int,
    title: str,
    questionnaire_yaml: str,
    frame_csv: str,
    questionnaire_source: str,
    frame_source: str,
) -> Job:
    """Create a wave from a large frame in the worker: the files wait in the data folder."""
    folder = Path(settings.DATA_DIR) / "uploads"
    name = uuid.uuid4().hex
    write_atomic(folder / f"{name}.yaml", lambda tmp: tmp.write_text(questionnaire_yaml, "utf-8"))
    write_atomic(folder / f"{name}.csv", lambda tmp: tmp.write_text(frame_csv, "utf-8"))
    params = {
        "year": year,
        "title": title,
        "questionnaire_file": f"{name}.yaml",
        "frame_file": f"{name}.csv",
        "questionnaire_source": questionnaire_source,
        "frame_source": frame_source,
    }
    return job_start(kind=CREATE, params=params, unique=False)  # each upload is its own


def job_problems(job: Job) -> list[Problem]:
    """The problems of the input files a failed creation found, to show in any language."""
    return [Problem(**problem) for problem in job.params.get("problems", [])]


def create_wave_from_files(job: Job, progress: Progress) -> str:
    """A wave from a large frame uploaded by the operator (kept in the data folder)."""
    from barometre.web.campaigns.services import wave_create

    params = job.params
    folder = Path(settings.DATA_DIR) / "uploads"
    files = [folder / params["questionnaire_file"], folder / params["frame_file"]]
    try:
        wave = wave_create(
            year=params["year"],
            title=params["title"],
            questionnaire_yaml=files[0].read_text("utf-8"),
            frame_csv=files[1].read_text("utf-8"),
            questionnaire_source=params["questionnaire_source"],
            frame_source=params["frame_source"],
        )
    except InputError as exc:
        _forget(files)
        problems = [
            {
                "location": p.location,
                "code": p.code,
                "message": p.message,
                "template": p.template,
                "params": dict(p.params or {}),
            }
            for p in exc.problems
        ]
        Job.objects.filter(pk=job.pk).update(params={**params, "problems": problems})
        raise JobFailed(str(exc)) from None
    except IntegrityError:
        _forget(files)
        raise JobFailed(
            _("A wave of the year %(year)s exists already.") % {"year": params["year"]}
        ) from None
    _forget(files)
    Job.objects.filter(pk=job.pk).update(wave=wave)
    return str(wave.year)


def _forget(files: list[Path]) -> None:
    """The uploaded files, once the wave is made or cannot be (kept while it may be retried)."""
    for file in files:
        file.unlink(missing_ok=True)
