"""Operator screens: waves, their frame, invitations, response rates, computation, publication.

Every view requires a staff account; the work is done by the campaigns services.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from barometre.errors import BarometreError, InputError
from barometre.questionnaire import builtin_path
from barometre.web.backoffice.forms import InvitationsForm, WaveForm, read_upload
from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.invitations import referents_from_csv, send_invitation
from barometre.web.campaigns.jobs import report_job_start, running_job
from barometre.web.campaigns.models import ReportJob, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import wave_progress
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.labels import ORGANISATION_TYPES, label


def operator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@operator_required
def waves(request):
    form = WaveForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = (
                read_upload(data["questionnaire"])
                if data["questionnaire"]
                else builtin_path("hlm-2026").read_text(encoding="utf-8")
            )
            wave = wave_create(
                year=data["year"],
                title=data["title"],
                questionnaire_yaml=questionnaire,
                frame_csv=read_upload(data["frame"]),
                questionnaire_source=data["questionnaire"].name
                if data["questionnaire"]
                else "hlm-2026.yaml",
                frame_source=data["frame"].name,
            )
        except InputError as exc:
            problems = exc.problems
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Wave %(year)s created.") % {"year": wave.year})
            return redirect("backoffice:wave", year=wave.year)
    return render(
        request,
        "backoffice/waves.html",
        {"form": form, "problems": problems, "waves": Wave.objects.all()},
    )


@operator_required
def wave(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    form = InvitationsForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            links = referents_from_csv(
                wave=wave,
                csv_text=read_upload(form.cleaned_data["invitations"]),
                source=form.cleaned_data["invitations"].name,
            )
        except InputError as exc:
            problems = exc.problems
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            base = request.build_absolute_uri("/").rstrip("/")
            for link, token in links:
                send_invitation(link=link, token=token, base_url=base)
            messages.success(request, _("%(n)s referents invited.") % {"n": len(links)})
            return redirect("backoffice:wave", year=year)
    progress = wave_progress(wave=wave)
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    role_labels = {r.code: r.label.get(language) for r in questionnaire.roles}
    for row in progress:
        row["roles"] = {role_labels.get(k, k): v for k, v in row["roles"].items()}
        row["family"] = label(ORGANISATION_TYPES, row["family"])
    answered = sum(1 for row in progress if row["submitted"])
    job = wave.report_jobs.first()
    under_way = running_job(wave)
    return render(
        request,
        "backoffice/wave.html",
        {
            "wave": wave,
            "form": form,
            "problems": problems,
            "progress": progress,
            "answered": answered,
            "Status": Wave.Status,
            "job": job,
            "under_way": under_way,
        },
    )


ACTIONS = {
    "open": Wave.Status.OPEN,
    "close": Wave.Status.CLOSED,
    "reopen": Wave.Status.OPEN,
    "publish": Wave.Status.PUBLISHED,
}


@require_POST
@operator_required
def wave_action(request, year: int, action: str):
    wave = get_object_or_404(Wave, year=year)
    try:
        if action == "compute":
            wave_compute(wave=wave)
        elif action == "reports":
            if wave.scores_json is None:
                raise ValueError(_("Compute the wave before making its reports."))
            report_job_start(wave=wave)
        elif action in ACTIONS:
            wave_transition(wave=wave, target=ACTIONS[action])
        else:
            raise PermissionDenied
    except (ValueError, BarometreError) as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:wave", year=year)


@operator_required
def reports_archive(request, year: int):
    """The zip of every organisation report of the wave, once the job is done."""
    wave = get_object_or_404(Wave, year=year)
    job = wave.report_jobs.filter(status=ReportJob.Status.DONE).order_by("-finished_at").first()
    if job is None or not Path(job.archive).exists():
        raise Http404
    return FileResponse(
        open(job.archive, "rb"),
        as_attachment=True,
        filename=Path(job.archive).name,
    )
