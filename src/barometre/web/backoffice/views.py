"""Operator screens: waves, their frame, invitations, response rates, computation, publication.

Every view requires a staff account; the work is done by the campaigns services.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from barometre.errors import BarometreError, FrameError, InputError
from barometre.questionnaire import builtin_path
from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.backoffice.forms import (
    InvitationRow,
    InvitationsForm,
    ProgressSearchForm,
    WaveForm,
    read_csv_upload,
    read_upload,
    skip_already_invited,
)
from barometre.web.campaigns.computation import check_can_compute
from barometre.web.campaigns.invitations import (
    InvitationError,
    referents_from_csv,
)
from barometre.web.campaigns.jobs import (
    COMPUTE,
    CREATE,
    compute_job_start,
    job_problems,
    latest_job,
    report_job_start,
    running_job,
    wave_create_job_start,
)
from barometre.web.campaigns.mailing import emails_resend, reminders_queue
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import (
    OrganisationProgress,
    wave_close_summary,
    wave_email_summary,
    wave_progress,
    wave_publication_summary,
    wave_totals,
)
from barometre.web.campaigns.services import TRANSITIONS, wave_create, wave_transition
from barometre.web.jobs.services import active_job
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


#: A frame larger than this is turned into a wave by the worker, with its progress shown.
INLINE_FRAME_BYTES = 2 * 1024 * 1024


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
            frame_csv, found = read_csv_upload(data["frame"], FrameError)
            files = {
                "year": data["year"],
                "title": data["title"],
                "questionnaire_yaml": questionnaire,
                "frame_csv": frame_csv,
                "questionnaire_source": (
                    data["questionnaire"].name if data["questionnaire"] else "hlm-2026.yaml"
                ),
                "frame_source": data["frame"].name,
            }
            if data["frame"].size > INLINE_FRAME_BYTES:
                with transaction.atomic():
                    wave_create_job_start(**files)
                    record(
                        action=AuditEntry.Action.WAVE_CREATE,
                        user=request.user,
                        target=data["frame"].name,
                        detail=f"year {data['year']}, in the background",
                    )
                messages.info(request, _file_read(data["frame"].name, found))
                messages.success(
                    request,
                    _("The frame is large: the wave is being created; this page follows it."),
                )
                return redirect("backoffice:waves")
            with transaction.atomic():
                wave = wave_create(**files)
                record(
                    action=AuditEntry.Action.WAVE_CREATE,
                    user=request.user,
                    wave=wave,
                    target=data["frame"].name,
                )
        except InputError as exc:
            problems = exc.problems
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.info(request, _file_read(data["frame"].name, found))
            messages.success(request, _("Wave %(year)s created.") % {"year": wave.year})
            return redirect("backoffice:wave", year=wave.year)
    creation = latest_job(None, CREATE)
    recent = timezone.now() - timedelta(days=1)  # an old failure is not news any more
    if creation is not None and creation.created_at < recent:
        creation = None
    if creation is not None and creation.status == "failed" and not problems:
        problems = job_problems(creation)
    return render(
        request,
        "backoffice/waves.html",
        {
            "form": form,
            "problems": problems,
            "waves": Wave.objects.all(),
            "creating": active_job(kind=CREATE),
            "creation": creation,
        },
    )


def _file_read(name: str, found) -> str:
    """What was detected in an uploaded CSV, said to the operator."""
    return _("%(name)s: %(format)s.") % {"name": name, "format": found.localized(_)}


@operator_required
def wave(request, year: int):
    wave = get_object_or_404(Wave, year=year)
    form = InvitationsForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["invitations"]
        try:
            csv_text, found = read_csv_upload(upload, InvitationError)
            skipped: list[InvitationRow] = []
            if not form.cleaned_data["invite_again"]:
                csv_text, skipped = skip_already_invited(
                    wave=wave, csv_text=csv_text, source=upload.name
                )
            with transaction.atomic():
                links = referents_from_csv(
                    wave=wave, csv_text=csv_text, source=upload.name, base_url=_base_url(request)
                )
                record(
                    action=AuditEntry.Action.REFERENTS_INVITE,
                    user=request.user,
                    wave=wave,
                    target=upload.name,
                    count=len(links),
                )
        except InputError as exc:
            problems = exc.problems
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.info(request, _file_read(upload.name, found))
            messages.success(
                request,
                ngettext(
                    "%(n)s referent invited: the e-mail is being sent (see below).",
                    "%(n)s referents invited: the e-mails are being sent (see below).",
                    len(links),
                )
                % {"n": len(links)},
            )
            if skipped:
                messages.warning(request, _skipped_message(skipped))
            return redirect("backoffice:wave", year=year)
    search = ProgressSearchForm(request.GET)
    text, status = search.criteria()
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    role_labels = {r.code: r.label.get(language) for r in questionnaire.roles}
    progress = wave_progress(
        wave=wave,
        search=text,
        status=status,
        page=request.GET.get("page") or 1,
        role_order=list(role_labels),
    )
    job = latest_job(wave)
    under_way = running_job(wave)
    computation = latest_job(wave, COMPUTE)
    computing = active_job(kind=COMPUTE, wave=wave)
    return render(
        request,
        "backoffice/wave.html",
        {
            "wave": wave,
            "form": form,
            "problems": problems,
            "progress": progress,
            "rows": [_progress_row(row, role_labels) for row in progress.rows],
            "totals": wave_totals(wave=wave),
            "search": search,
            "Status": Wave.Status,
            "job": job,
            "under_way": under_way,
            "computation": computation,
            "computing": computing,
            "emails": wave_email_summary(wave=wave),
        },
    )


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _days(text: str | None) -> int:
    """Days between two reminders, 0 (off) to 60; anything else is refused."""
    try:
        days = int(text or "")
    except ValueError:
        raise ValueError(_("Give a whole number of days between 0 and 60.")) from None
    if not 0 <= days <= 60:
        raise ValueError(_("Give a whole number of days between 0 and 60."))
    return days


def _progress_row(row: OrganisationProgress, role_labels: dict[str, str]) -> dict:
    """A row of the response rates as shown: organisation type and roles in the reader's
    language."""
    return {
        "organisation": row,
        "organisation_type": label(ORGANISATION_TYPES, row.organisation_type),
        "roles": [(role_labels.get(r.role, r.role), r) for r in row.roles],
        "submitted": row.submitted,
    }


#: Rows of the invitations file named in the warning; the others are counted.
SKIPPED_LISTED = 20


def _skipped_message(skipped: list[InvitationRow]) -> str:
    named = ", ".join(
        _("%(email)s (%(organisation)s, line %(line)s)") % row._asdict()
        for row in skipped[:SKIPPED_LISTED]
    )
    if len(skipped) > SKIPPED_LISTED:
        named += " " + _("and %(n)s more") % {"n": len(skipped) - SKIPPED_LISTED}
    return ngettext(
        "%(n)s row skipped, because its e-mail address already has a live invitation for "
        "that organisation in this wave: %(rows)s. To invite again, send the file again "
        "with “Invite again people who already have an invitation” ticked.",
        "%(n)s rows skipped, because their e-mail addresses already have a live invitation "
        "for that organisation in this wave: %(rows)s. To invite them again, send the file "
        "again with “Invite again people who already have an invitation” ticked.",
        len(skipped),
    ) % {"n": len(skipped), "rows": named}


ACTIONS = {
    "open": Wave.Status.OPEN,
    "close": Wave.Status.CLOSED,
    "reopen": Wave.Status.OPEN,
    "publish": Wave.Status.PUBLISHED,
}
#: Actions asked again on a page of their own: done only by a POST with `confirm=1`.
CONFIRMED = {"close", "publish"}


@require_http_methods(["GET", "POST"])
@operator_required
def wave_action(request, year: int, action: str):
    """Open, close, reopen, compute, publish, make the reports. Closing and publishing lead
    first to a confirmation page (a GET, or a POST without `confirm`)."""
    wave = get_object_or_404(Wave, year=year)
    if action in CONFIRMED and request.POST.get("confirm") != "1":
        return _confirmation(request, wave, action)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        # the action and its entry in the audit log are written together, or neither
        with transaction.atomic():
            _act(request, wave, action)
    except (ValueError, BarometreError) as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:wave", year=year)


#: The audit log's name of each action of `wave_action`.
AUDITED = {
    "compute": AuditEntry.Action.WAVE_COMPUTE,
    "remind": AuditEntry.Action.REMINDERS_SEND,
    "resend": AuditEntry.Action.EMAILS_RESEND,
    "remind-every": AuditEntry.Action.REMINDERS_SCHEDULE,
    "reports": AuditEntry.Action.REPORTS_MAKE,
    "open": AuditEntry.Action.WAVE_OPEN,
    "close": AuditEntry.Action.WAVE_CLOSE,
    "reopen": AuditEntry.Action.WAVE_REOPEN,
    "publish": AuditEntry.Action.WAVE_PUBLISH,
}


def _act(request, wave: Wave, action: str) -> None:
    """Do one action of the wave page and write it to the audit log."""
    count: int | None = None
    detail = ""
    if action == "compute":
        check_can_compute(wave)
        compute_job_start(wave=wave)
        messages.success(request, _("The computation has started; this page follows it."))
    elif action == "remind":
        count = reminders_queue(wave=wave, base_url=_base_url(request))
        messages.success(request, _("%(n)s reminders queued.") % {"n": count})
    elif action == "resend":
        count = emails_resend(wave=wave, base_url=_base_url(request))
        messages.success(request, _("%(n)s e-mails queued again.") % {"n": count})
    elif action == "remind-every":
        wave.remind_every_days = _days(request.POST.get("days"))
        wave.save(update_fields=["remind_every_days"])
        detail = f"every {wave.remind_every_days} days"
        messages.success(request, _("Reminders schedule saved."))
    elif action == "reports":
        report_job_start(wave=wave)
    elif action in ACTIONS:
        wave_transition(wave=wave, target=ACTIONS[action])
    else:
        raise PermissionDenied
    record(action=AUDITED[action], user=request.user, wave=wave, count=count, detail=detail)


def _confirmation(request, wave: Wave, action: str):
    """The page that says what closing or publishing will do, with Confirm and Cancel."""
    target = ACTIONS[action]
    if target not in TRANSITIONS[Wave.Status(wave.status)]:
        messages.error(
            request,
            _("A wave cannot go from %(source)s to %(target)s.")
            % {"source": Wave.Status(wave.status).label, "target": target.label},
        )
        return redirect("backoffice:wave", year=wave.year)
    if action == "close":
        title = _("Close the wave %(title)s?") % {"title": wave.title}
        consequences = _closing_consequences(wave)
    else:
        title = _("Publish the sector barometer of the wave %(title)s?") % {"title": wave.title}
        consequences = _publishing_consequences(wave)
    return render(
        request,
        "backoffice/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "action_url": request.path,
            "cancel_url": reverse("backoffice:wave", kwargs={"year": wave.year}),
        },
    )


def _closing_consequences(wave: Wave) -> list[str]:
    summary = wave_close_summary(wave=wave)
    started = ngettext(
        "%(n)s respondent has started without sending their answers.",
        "%(n)s respondents have started without sending their answers.",
        summary.started_not_sent,
    ) % {"n": summary.started_not_sent}
    if summary.started_not_sent:
        started += " " + _(
            "The answers they saved still count when the wave is computed, if they cover "
            "enough of the questionnaire."
        )
    lines = [
        _(
            "Respondents will no longer be able to answer or send their answers, and "
            "referents will no longer be able to invite colleagues."
        ),
        started,
    ]
    if summary.not_started:
        lines.append(
            ngettext(
                "%(n)s invited respondent has not opened the questionnaire yet.",
                "%(n)s invited respondents have not opened the questionnaire yet.",
                summary.not_started,
            )
            % {"n": summary.not_started}
        )
    lines.append(_("You can reopen the wave as long as it has not been computed."))
    return lines


def _publishing_consequences(wave: Wave) -> list[str]:
    summary = wave_publication_summary(wave=wave)
    lines = [
        _(
            "The sector figures of this wave become public: anyone can read them on the "
            "sector barometer page and download its report, without signing in."
        )
    ]
    if summary is not None:
        lines.append(
            _(
                "They are estimated from %(respondents)s responding organisations out of the "
                "%(organisations)s of the frame; no organisation's own results are shown."
            )
            % {
                "respondents": summary.responding_organisations,
                "organisations": summary.organisations,
            }
        )
    lines.append(_("Once published, the sector barometer cannot be unpublished."))
    return lines


@operator_required
def reports_archive(request, year: int):
    """The zip of every organisation report of the wave, once the job is done."""
    wave = get_object_or_404(Wave, year=year)
    job = latest_job(wave, kind="wave_reports", done=True)
    if job is None or not Path(job.output).exists():
        raise Http404
    record(
        action=AuditEntry.Action.REPORTS_DOWNLOAD,
        user=request.user,
        wave=wave,
        target=Path(job.output).name,
    )
    return FileResponse(
        open(job.output, "rb"),
        as_attachment=True,
        filename=Path(job.output).name,
    )
