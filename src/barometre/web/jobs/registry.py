"""Which function does each kind of job. Handlers take the job and its progress reporter and
return the job's output (a file path, or "")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from barometre.web.jobs.models import Job
    from barometre.web.jobs.services import Progress

Handler = Callable[["Job", "Progress"], str]

HANDLERS = {
    "wave_reports": "barometre.web.campaigns.jobs.make_wave_reports",
    "wave_compute": "barometre.web.campaigns.jobs.compute_wave",
    "emails": "barometre.web.campaigns.mailing.send_queued_emails",
    "wave_create": "barometre.web.campaigns.jobs.create_wave_from_files",
    "password_reset_email": "barometre.web.organisations.accounts.send_password_reset_email",
    "wave_export": "barometre.web.campaigns.exports.make_export",
}


def handler_for(kind: str) -> Handler:
    return import_string(HANDLERS[kind])
