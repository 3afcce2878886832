"""The tasks the queue runs. They carry only ids: the work and its state are in `Job`."""

from __future__ import annotations

from django_tasks import task

from barometre.web.jobs.services import job_run


@task(queue_name="default")
def run_job(job_id: int) -> None:
    job_run(job_id)
