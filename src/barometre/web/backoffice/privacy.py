"""Operator screens for personal data and accountability: find what is held about a person,
export it as JSON, erase it; read the audit log (docs/privacy.md).

A person is looked up by a POSTed e-mail address or pseudonym, never in the URL (addresses
would land in proxies' logs and the browser's history). Export and erasure are POSTs with
the CSRF token; erasure asks first and is done only with `confirm=1`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.backoffice.views import operator_required
from barometre.web.campaigns.models import Wave
from barometre.web.responses.privacy import (
    DataSubject,
    SubjectNotFound,
    find_subject,
    subject_erase,
    subject_export,
)

#: Entries per page of the audit log.
AUDIT_PAGE_SIZE = 100
#: The longest lookup text read from a form (an e-mail address is at most 254 characters).
_QUERY_LENGTH = 320


def _query(request) -> str:
    return request.POST.get("who", "")[:_QUERY_LENGTH].strip()


def _subject_or_message(request) -> tuple[str, DataSubject | None, str]:
    who = _query(request)
    try:
        return who, find_subject(who), ""
    except SubjectNotFound as exc:
        return who, None, str(exc)


@require_http_methods(["GET", "POST"])
@operator_required
def privacy(request):
    """The lookup form; a POST shows what is held about the person, with export and erase."""
    who, subject, not_found = "", None, ""
    if request.method == "POST":
        who, subject, not_found = _subject_or_message(request)
        if subject is not None:
            # a lookup ties an address to the pseudonym of its answers: that is in the log
            record(
                action=AuditEntry.Action.RESPONDENT_LOOKUP,
                user=request.user,
                target=subject.pseudonyms,
            )
    return render(
        request,
        "backoffice/privacy.html",
        {"who": who, "subject": subject, "not_found": not_found},
    )


@require_POST
@operator_required
def privacy_export(request):
    _who, subject, not_found = _subject_or_message(request)
    if subject is None:
        messages.error(request, not_found)
        return redirect("backoffice:privacy")
    export = subject_export(subject, user=request.user)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(
        export.model_dump_json(indent=2), content_type="application/json; charset=utf-8"
    )
    # the file is named by the time only: an address in a file name would end up in lists
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
    return response


@require_POST
@operator_required
def privacy_erase(request):
    """Erasure: a page that says what will go, then the erasure with `confirm=1`."""
    who, subject, not_found = _subject_or_message(request)
    if subject is None:
        messages.error(request, not_found)
        return redirect("backoffice:privacy")
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "backoffice/privacy_erase.html",
            {"who": who, "subject": subject, "consequences": _erasure_consequences(subject)},
        )
    erasure = subject_erase(subject, user=request.user)
    messages.success(
        request,
        _(
            "Erased: %(links)s links, %(emails)s e-mails, %(answers)s answers, %(changes)s "
            "changes of the log and %(accounts)s user accounts."
        )
        % {
            "accounts": erasure.accounts,
            "links": erasure.links,
            "emails": erasure.emails,
            "answers": erasure.answers,
            "changes": erasure.changes,
        },
    )
    if erasure.stale_years:
        messages.warning(request, _stale_message(erasure.stale_years))
    return redirect("backoffice:privacy")


def _stale_message(years: tuple[int, ...]) -> str:
    return _(
        "The results of the waves %(years)s were computed with the answers just erased: a "
        "computed wave should be computed again; a published sector barometer stays as "
        "published (its figures are anonymous aggregates)."
    ) % {"years": ", ".join(str(year) for year in years)}


def _erasure_consequences(subject: DataSubject) -> list[str]:
    respondents = subject.respondents
    lines = [
        ngettext(
            "%(n)s link is deleted, with the e-mails sent for it.",
            "%(n)s links are deleted, with the e-mails sent for them.",
            len(subject.links),
        )
        % {"n": len(subject.links)},
        ngettext(
            "%(n)s respondent is deleted with every answer and the whole log of their changes; "
            "it cannot be undone.",
            "%(n)s respondents are deleted with every answer and the whole log of their "
            "changes; it cannot be undone.",
            len(respondents),
        )
        % {"n": len(respondents)},
    ]
    computed = sorted({r.wave.year for r in respondents if r.wave.status >= Wave.Status.COMPUTED})
    if computed:
        lines.append(_stale_message(tuple(computed)))
    referents = [account for account in subject.accounts if not account.is_staff]
    if referents:
        lines.append(
            _(
                "The user account of this address is deleted, with its accesses to "
                "organisations' results."
            )
        )
    if len(referents) < len(subject.accounts):
        lines.append(
            _(
                "An operator's account exists for this address: it is not deleted here, but "
                "by whoever runs the site."
            )
        )
    lines.append(_("The audit log keeps that an erasure was made, with the pseudonyms only."))
    return lines


def _audit_page(request, entries, wave: Wave | None):
    page = Paginator(entries.select_related("wave"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page") or 1
    )
    return render(request, "backoffice/audit.html", {"page": page, "wave": wave})


@operator_required
def audit(request):
    """The whole audit log, newest first (read only)."""
    return _audit_page(request, AuditEntry.objects.all(), None)


@operator_required
def wave_audit(request, year: int):
    """The audit log of one wave, newest first (read only)."""
    wave = get_object_or_404(Wave.objects.only("pk", "year", "title"), year=year)
    return _audit_page(request, AuditEntry.objects.filter(wave=wave), wave)
