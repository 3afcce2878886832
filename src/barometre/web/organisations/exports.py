"""A referent's exports of its own organisation in a wave: ask for one, follow, download.

The page is the organisation's (a current member, or an operator); the work and every check
are in `campaigns.exports`. A referent's export is downloaded only by the referent who asked;
one an operator asked here, by every operator (`campaigns.exports.may_download`): the page says
which. While an export is under way, `exports.js` updates the list in place (no reload).
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from barometre.i18n import language_of
from barometre.web.campaigns.exports import (
    EXPORT,
    ExportForm,
    ExportRefused,
    export_params,
    export_response,
    exports_for,
    request_export,
    retention_days,
)
from barometre.web.campaigns.models import Wave
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Organisation
from barometre.web.organisations.selectors import may_act_for, organisation_wave


def _organisation_and_wave(request, external_id: str, year: int) -> tuple[Organisation, Wave]:
    organisation = get_object_or_404(Organisation, external_id=external_id)
    if not may_act_for(user=request.user, organisation=organisation):
        raise PermissionDenied
    wave = organisation_wave(organisation=organisation, year=year, operator=request.user.is_staff)
    return organisation, wave


@require_http_methods(["GET", "POST"])
@login_required
def exports(request, external_id: str, year: int):
    """The organisation's exports in the wave: the form and this person's recent exports
    (the page `exports.js` fetches again while one is under way)."""
    organisation, wave = _organisation_and_wave(request, external_id, year)
    form = ExportForm(
        request.POST or None,
        operator=False,
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
                organisation=organisation.external_id,
            )
        except ExportRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The export has started; this page follows it."))
        return redirect("organisations:exports", external_id=external_id, year=year)
    rows = [
        replace(
            row,
            download_url=reverse(
                "organisations:export_download",
                kwargs={"external_id": external_id, "year": year, "job_id": row.job.pk},
            ),
        )
        for row in exports_for(user=request.user, wave=wave, organisation=organisation)
    ]
    scores = wave.scores
    return render(
        request,
        "organisations/exports.html",
        {
            "organisation": organisation,
            "wave": wave,
            "form": form,
            "rows": rows,
            "under_way": any(row.job.active for row in rows),
            # an operator's exports are every operator's (`may_download`): the page says so
            "by_operator": bool(request.user.is_staff),
            "computed": scores is not None,
            "retention_days": retention_days(),
            "has_results": scores is not None
            and scores.organisation(organisation.external_id) is not None,
        },
    )


@login_required
def export_download(request, external_id: str, year: int, job_id: int):
    """The file of an export of the organisation, for the person who asked it."""
    organisation, wave = _organisation_and_wave(request, external_id, year)
    job = get_object_or_404(Job, pk=job_id, kind=EXPORT, wave=wave)
    if export_params(job).organisation != organisation.external_id:
        raise Http404
    return export_response(user=request.user, job=job)
