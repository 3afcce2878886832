"""Background jobs: every organisation report of a wave as PDF, then one zip archive.

The job runs in a thread of the web process and writes its progress in the database after each
report, so the operator's page can show it. Tests and single-process set-ups may run it inline
(`BAROMETRE_JOBS_INLINE`).
"""

from __future__ import annotations

import threading
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from barometre.web.campaigns.models import ReportJob, Wave
from barometre.web.organisations.models import Organisation


def reports_folder(wave: Wave) -> Path:
    return Path(settings.DATA_DIR) / "reports" / str(wave.year)


#: A job still "running" after this long died with its process: it may be started again.
STALE_AFTER = timedelta(hours=1)


def running_job(wave: Wave) -> ReportJob | None:
    """The wave's job under way, if any (a stale one does not count)."""
    return ReportJob.objects.filter(
        wave=wave,
        status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING],
        created_at__gte=timezone.now() - STALE_AFTER,
    ).first()


def report_job_start(*, wave: Wave) -> ReportJob:
    """Start making every report of the wave; a job already under way is returned instead."""
    under_way = running_job(wave)
    if under_way is not None:
        return under_way
    scored = [
        o["organisation_id"]
        for o in (wave.scores_json or {}).get("organisations", [])
        if o["global"] is not None
    ]
    job = ReportJob.objects.create(wave=wave, total=len(scored))
    if settings.BAROMETRE_JOBS_INLINE:
        _run(job.pk)
    else:
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start()
    job.refresh_from_db()
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        _run(job_id)
    finally:
        connection.close()


def _run(job_id: int) -> None:
    from barometre.web.organisations.report import organisation_pdf

    job = ReportJob.objects.select_related("wave").get(pk=job_id)
    job.status = ReportJob.Status.RUNNING
    job.save(update_fields=["status"])
    folder = reports_folder(job.wave)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"rapports-{job.wave.year}.zip"
    partial = folder / f".rapports-{job.wave.year}-job{job.pk}.zip.tmp"  # one per job
    try:
        ids = [
            o["organisation_id"]
            for o in job.wave.scores_json["organisations"]
            if o["global"] is not None
        ]
        organisations = {o.external_id: o for o in Organisation.objects.filter(external_id__in=ids)}
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for number, organisation_id in enumerate(ids, start=1):
                pdf = organisation_pdf(wave=job.wave, organisation=organisations[organisation_id])
                bundle.writestr(f"{organisation_id}.pdf", pdf)
                ReportJob.objects.filter(pk=job.pk).update(done=number)
        partial.replace(archive)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.DONE, archive=str(archive), finished_at=timezone.now()
        )
    except Exception as exc:  # the operator must see any failure on the page
        partial.unlink(missing_ok=True)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
