"""What the worker does on its own, every half minute: put back the jobs whose worker died,
send reminders that are due, start sending e-mails that are waiting, and delete the wave
exports older than their retention period.

Every step is safe to run in several workers at once (see each function)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

logger = logging.getLogger("barometre.jobs")

PERIODIC = (
    "barometre.web.jobs.services.recover_jobs",
    "barometre.web.campaigns.mailing.emails_tick",
    # wave exports past BAROMETRE_EXPORT_RETENTION_DAYS: their files and jobs deleted
    "barometre.web.campaigns.exports.exports_expire",
)


def tick() -> None:
    close_old_connections()
    for path in PERIODIC:
        try:
            import_string(path)()
        except Exception:  # one failing step must not stop the others, nor the worker
            logger.exception("periodic step %s failed", path)


class Scheduler(threading.Thread):
    def __init__(self, interval: float | None = None):
        super().__init__(daemon=True, name="barometre-scheduler")
        self.interval = interval or settings.BAROMETRE_SCHEDULER_SECONDS
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:
                tick()
                if self.stopped.wait(self.interval):
                    return
        finally:
            connection.close()
