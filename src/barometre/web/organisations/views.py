"""The referent's screens: accept the invitation, invite colleagues, follow them, read results.

Every view checks that the signed-in user is a current member of the organisation (a
membership not ended), or an operator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from barometre.reports.render import organisation_html, pdf_bytes
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import colleague_live_links
from barometre.web.campaigns.services import (
    ActionRefused,
    LinkError,
    link_for_token,
)
from barometre.web.config.csp import with_style_nonce
from barometre.web.labels import TYPOLOGY, label
from barometre.web.organisations.forms import AcceptForm, ColleagueForm
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.report import dashboard_results, organisation_report
from barometre.web.organisations.selectors import (
    colleagues_of,
    link_status,
    may_act_for,
    organisation_wave,
    organisation_waves,
)
from barometre.web.organisations.services import (
    colleague_invite,
    colleague_link_revoke,
    referent_accept,
)


def accept(request, token: str):
    """A referent's invitation: a new account with a password, or — when an account with this
    e-mail already exists — the membership added once its owner has signed in."""
    try:
        link = link_for_token(token, AccessLink.Kind.REFERENT)
    except LinkError as exc:
        return render(request, "responses/link_problem.html", {"message": str(exc)}, status=404)
    existing = get_user_model().objects.filter(username=link.email).first()
    if existing is not None and request.user != existing:
        return render(
            request,
            "organisations/accept.html",
            {
                "link": link,
                "sign_in_first": True,
                "login_url": f"{reverse('login')}?next={request.path}",
            },
        )
    form = AcceptForm(request.POST or None) if existing is None else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = referent_accept(
                link=link, password=None if form is None else form.cleaned_data["password"]
            )
        except LinkError as exc:  # revoked, used or expired since the page was shown
            return render(request, "responses/link_problem.html", {"message": str(exc)}, status=404)
        except ValidationError as exc:
            assert form is not None  # only a new account's password is validated
            form.add_error("password", exc)
        else:
            if existing is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(
                "organisations:dashboard",
                external_id=link.organisation.external_id,
                year=link.wave.year,
            )
    return render(request, "organisations/accept.html", {"form": form, "link": link})


def _organisation_for(request, external_id: str) -> Organisation:
    organisation = get_object_or_404(Organisation, external_id=external_id)
    if not may_act_for(user=request.user, organisation=organisation):
        raise PermissionDenied
    return organisation


@login_required
def after_login(request):
    """Operators go to the back-office, referents to their organisations."""
    return redirect("backoffice:waves" if request.user.is_staff else "organisations:home")


@login_required
def home(request):
    memberships = (
        Membership.objects.current().filter(user=request.user).select_related("organisation")
    )
    organisations = [
        (m.organisation, organisation_waves(organisation=m.organisation)) for m in memberships
    ]
    return render(request, "organisations/home.html", {"organisations": organisations})


@login_required
def dashboard(request, external_id: str, year: int):
    organisation = _organisation_for(request, external_id)
    wave = organisation_wave(organisation=organisation, year=year, operator=request.user.is_staff)
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    roles = [(r.code, r.label.get(language)) for r in questionnaire.roles]
    form = ColleagueForm(request.POST or None, roles=roles)
    already_invited: list[AccessLink] = []
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        already_invited = colleague_live_links(wave=wave, organisation=organisation, email=email)
        # An e-mail with a live link is invited again only once the box is ticked for this
        # very e-mail (ticked when the page warned about another, it does not count).
        if not already_invited or request.POST.get("anyway", "").lower() == email.lower():
            try:
                link, _token = colleague_invite(
                    by=request.user,
                    wave=wave,
                    organisation=organisation,
                    email=email,
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except ActionRefused as refused:
                messages.error(request, str(refused))
                already_invited = []
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": link.email}
                )
                return redirect("organisations:dashboard", external_id=external_id, year=year)
    colleagues = colleagues_of(wave=wave, organisation=organisation, role_labels=dict(roles))
    shown = dashboard_results(wave=wave, organisation=organisation)
    results = shown.report
    return render(
        request,
        "organisations/dashboard.html",
        {
            "organisation": organisation,
            "wave": wave,
            "form": form,
            "colleagues": colleagues,
            "already_invited": [
                {
                    "role": dict(roles).get(link.role, link.role),
                    "status": link_status(link),
                    "link": link,
                }
                for link in already_invited
            ],
            "results": results,
            "shown": shown,
            "family_label": label(TYPOLOGY, results.family) if results else "—",
            "Status": Wave.Status,
        },
    )


def _report(request, external_id: str, year: int, for_print: bool = False):
    """The organisation's report, for its referents and the operators only (404 without one)."""
    organisation = _organisation_for(request, external_id)
    wave = organisation_wave(organisation=organisation, year=year, operator=request.user.is_staff)
    report = organisation_report(wave=wave, organisation=organisation, for_print=for_print)
    if report is None:
        raise Http404
    return report


@login_required
def report_html(request, external_id: str, year: int):
    """The organisation's report in the browser."""
    html = organisation_html(_report(request, external_id, year))
    return HttpResponse(with_style_nonce(html, request))  # its <style> under the CSP


@login_required
def report_pdf(request, external_id: str, year: int):
    """The organisation's report as a PDF."""
    html = organisation_html(_report(request, external_id, year, for_print=True))
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="barometre-{year}-{external_id}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def revoke(request, external_id: str, year: int, link_id: int):
    """Revoke a colleague's link (lost e-mail, person who left); their saved answers stay.

    A GET, or a POST without `confirm=1`, shows first what revoking does.
    """
    organisation = _organisation_for(request, external_id)
    wave = organisation_wave(organisation=organisation, year=year, operator=request.user.is_staff)
    link = get_object_or_404(
        AccessLink,
        pk=link_id,
        organisation=organisation,
        wave=wave,
        kind=AccessLink.Kind.RESPONDENT,
    )
    if link.revoked_at is None:
        if request.POST.get("confirm") != "1":
            return render(request, "backoffice/confirm.html", _revoke_confirmation(link))
        colleague_link_revoke(by=request.user, link=link)
    messages.success(request, _("The link of %(email)s is revoked.") % {"email": link.email})
    return redirect("organisations:dashboard", external_id=external_id, year=year)


def _revoke_confirmation(link: AccessLink) -> dict:
    """What the confirmation page says before a colleague's link is revoked."""
    params = {"email": link.email}
    return {
        "title": _("Revoke the link of %(email)s?") % params,
        "consequences": [
            _(
                "The personal link sent to %(email)s stops working at once: they will no "
                "longer be able to open or finish their questionnaire."
            )
            % params,
            _("The answers they have already saved are kept."),
            _(
                "A revoked link cannot be restored; a new invitation starts a new, empty "
                "questionnaire."
            ),
        ],
        "action_url": reverse(
            "organisations:revoke",
            kwargs={
                "external_id": link.organisation.external_id,
                "year": link.wave.year,
                "link_id": link.pk,
            },
        ),
        "cancel_url": reverse(
            "organisations:dashboard",
            kwargs={"external_id": link.organisation.external_id, "year": link.wave.year},
        ),
    }
