"""Starting, running and recovering jobs.

A job is started in the request that asks for it; its task is put on the queue only once that
request's transaction has committed, so a worker never looks for a job that does not exist
yet. The queue (Django's Tasks framework: the database by default, RQ on Redis in production)
carries only the job's id. Running a job first *claims* it with one conditional update, so
that two workers never run the same job, and a job whose worker was killed (no heartbeat for
`stale_after()`) can be claimed again. Handlers are written to be run again: they skip what an
earlier attempt finished and write every file under a temporary name first.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from barometre.errors import BarometreError
from barometre.web.campaigns.models import Wave
from barometre.web.jobs.models import Job
from barometre.web.jobs.registry import handler_for

logger = logging.getLogger("barometre.jobs")


def stale_after() -> timedelta:
    """A running job silent for this long died with its worker: it is run again."""
    return timedelta(seconds=settings.BAROMETRE_JOB_STALE_SECONDS)


def heartbeat_seconds() -> float:
    """Seconds between two heartbeats of a running job: several within `stale_after`."""
    return settings.BAROMETRE_JOB_STALE_SECONDS / 6


#: A job is tried at most this many times (a worker killed each time: it fails for good).
MAX_ATTEMPTS = 3


class JobFailed(BarometreError):
    """A job that cannot succeed; its message is for the person who started it."""


def active_job(*, kind: str, wave: Wave | None = None) -> Job | None:
    return Job.objects.filter(
        kind=kind, wave=wave, status__in=[Job.Status.PENDING, Job.Status.RUNNING]
    ).first()


def job_start(
    *,
    kind: str,
    wave: Wave | None = None,
    params: dict | None = None,
    total: int = 0,
    queue: str = "default",
    unique: bool = True,
) -> Job:
    """Start a job; with `unique`, return instead the same kind of job already under way for
    this wave (the wave's row is locked meanwhile, so that two requests do not both start
    one)."""
    with transaction.atomic():
        if unique:
            if wave is not None:
                Wave.objects.select_for_update().filter(pk=wave.pk).first()
            under_way = active_job(kind=kind, wave=wave)
            if under_way is not None:
                return under_way
        job = Job.objects.create(
            kind=kind, wave=wave, params=params or {}, total=total, queue=queue
        )
        job_enqueue(job)
    return job


def job_enqueue(job: Job) -> None:
    """Put the job's task on the queue once the current transaction commits."""
    from barometre.web.jobs.tasks import run_job

    transaction.on_commit(lambda: run_job.using(queue_name=job.queue).enqueue(job.pk))


def _claim(job_id: int) -> Job | None:
    """Take the job for this worker: waiting, or running but silent (its worker died)."""
    now = timezone.now()
    claimable = Q(status=Job.Status.PENDING) | Q(
        status=Job.Status.RUNNING, heartbeat_at__lt=now - stale_after()
    )
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(claimable, pk=job_id).first()
        if job is None:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _finish(job, Job.Status.FAILED, error=_stopped_message(job))
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.heartbeat_at = now
        job.started_at = job.started_at or now
        job.save(update_fields=["status", "attempts", "heartbeat_at", "started_at"])
    return job


def _stopped_message(job: Job) -> str:
    return _("The job was interrupted %(n)s times and was given up.") % {"n": job.attempts}


def _finish(job: Job, status: str, *, output: str = "", error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, output=output, error=error, finished_at=timezone.now()
    )


class Progress:
    """What a handler tells about its progress; every call is also a heartbeat."""

    def __init__(self, job: Job):
        self.job = job

    def total(self, total: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(total=total, heartbeat_at=timezone.now())

    def step(self, done: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(done=done, heartbeat_at=timezone.now())


class _Heartbeat(threading.Thread):
    """Beats while a handler works in one long step (its own database connection)."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True, name=f"heartbeat-job-{job_id}")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a busy database: the next beat will do
                    logger.warning("heartbeat of job %s missed", self.job_id, exc_info=True)
        finally:
            connection.close()


def job_run(job_id: int) -> None:
    """Run a job if it can be claimed; record its outcome. Called by the queue's task."""
    job = _claim(job_id)
    if job is None:
        return
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        output = handler_for(job.kind)(job, Progress(job))
    except JobFailed as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=_unexpected(exc))
    else:
        _finish(job, Job.Status.DONE, output=output or "")
    finally:
        heartbeat.stopped.set()


def _unexpected(exc: Exception) -> str:
    if isinstance(exc, BarometreError):
        return str(exc)
    return _(
        "The job stopped on an unexpected error (%(error)s); the server log has the details."
    ) % {"error": type(exc).__name__}


def recover_jobs() -> int:
    """Put back on the queue the jobs whose worker died, and those whose task was lost before
    it reached the queue. Safe to run anywhere, any number of times: a job is run once
    because running it starts with a claim. Returns the number of jobs put back."""
    threshold = timezone.now() - stale_after()
    # A waiting job may just be behind others in the queue: put back only long-forgotten ones.
    forgotten = timezone.now() - 10 * stale_after()
    silent = Job.objects.filter(
        Q(status=Job.Status.RUNNING, heartbeat_at__lt=threshold)
        | Q(status=Job.Status.PENDING, created_at__lt=forgotten)
    )
    count = 0
    for job in silent:
        logger.warning("job %s (%s) put back on the queue", job.pk, job.kind)
        job_enqueue(job)
        count += 1
    _forget_dead_task_results(threshold)
    return count


def _forget_dead_task_results(threshold) -> None:
    """The database queue leaves the task of a killed worker 'running' for ever; mark it
    failed (its job was put back above)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=threshold,
        task_path="barometre.web.jobs.tasks.run_job",
    )
    for task in running:
        (job_id,) = task.args_kwargs["args"]
        alive = Job.objects.filter(
            pk=job_id, status=Job.Status.RUNNING, heartbeat_at__gte=threshold
        ).exists()
        if not alive:  # its job is finished or silent: the task will never end by itself
            DBTaskResult.objects.filter(pk=task.pk).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
