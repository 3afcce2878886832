"""The operator's exports of a wave: ask for one (a job), follow it, download it.

The work and every check are in `campaigns.exports`; these views only show and redirect. An
export an operator asked is downloaded by every operator, and by nobody else: the page says so.
While an export is under way, `exports.js` fetches the page again every few seconds and
replaces only the list of exports (no reload, no `<meta http-equiv="refresh">`).
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from barometre.i18n import language_of
from barometre.web.backoffice.views import operator_required
from barometre.web.campaigns.exports import (
    EXPORT,
    ExportForm,
    ExportRefused,
    export_response,
    exports_for,
    request_export,
    retention_days,
)
from barometre.web.campaigns.models import Wave
from barometre.web.jobs.models import Job


@require_http_methods(["GET", "POST"])
@operator_required
def exports(request, year: int):
    """The exports of the wave: the request form and the recent exports with their progress.
    A POST asks for an export and comes back here (post, redirect, get)."""
    wave = get_object_or_404(Wave, year=year)
    form = ExportForm(
        request.POST or None,
        operator=True,
        initial={"language": language_of(get_language())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            request_export(
                user=request.user,
                wave=wave,
                table=form.table_value(),
                fmt=form.cleaned_data["format"],
                language=form.cleaned_data["language"],
                organisation=form.cleaned_data["organisation"],
            )
        except ExportRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The export has started; this page follows it."))
        return redirect("backoffice:exports", year=year)
    rows = [
        replace(
            row,
            download_url=reverse(
                "backoffice:export_download", kwargs={"year": year, "job_id": row.job.pk}
            ),
        )
        for row in exports_for(user=request.user, wave=wave)
    ]
    return render(
        request,
        "backoffice/exports.html",
        {
            "wave": wave,
            "form": form,
            "rows": rows,
            "under_way": any(row.job.active for row in rows),
            "computed": wave.scores is not None,
            "retention_days": retention_days(),
        },
    )


@operator_required
def export_download(request, year: int, job_id: int):
    """The file of an export of the wave (operators' exports, or one this operator asked)."""
    wave = get_object_or_404(Wave, year=year)
    job = get_object_or_404(Job, pk=job_id, kind=EXPORT, wave=wave)
    return export_response(user=request.user, job=job)
