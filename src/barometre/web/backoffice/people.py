"""The operator's screen of a wave's people and links: per organisation of the frame, its
referents (memberships), its referent invitations and its respondents' links with their
status, and the actions that end an access (revoke a link, end a membership).

Operators only. Respondents' and referents' e-mail addresses are personal data: they are
read in one place, `link_email`, and shown on this screen only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from barometre.web.audit.models import AuditEntry
from barometre.web.audit.services import record
from barometre.web.backoffice.forms import ProgressSearchForm
from barometre.web.backoffice.views import operator_required
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import wave_progress
from barometre.web.campaigns.services import ActionRefused, link_revoke
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.services import membership_end, referent_invitation_revoke
from barometre.web.responses.models import Respondent

#: Organisations per page: each lists all its people.
PEOPLE_PAGE_SIZE = 20


# ---- reads -----------------------------------------------------------------------------------
def link_email(link: AccessLink) -> str:
    """The address a link was sent to, "" once erased: the one place this screen reads it
    (docs/privacy.md: where the addresses are kept may change)."""
    return link.email


class LinkStatus(StrEnum):
    SENT = "sent"  # made and e-mailed (see its e-mail's own status), not used yet
    ACCEPTED = "accepted"  # a referent's invitation that created the access
    ANSWERING = "answering"  # a respondent who opened the questionnaire
    ANSWERS_SENT = "answers_sent"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATUS_LABELS: dict[LinkStatus, Promise] = {
    LinkStatus.SENT: gettext_lazy("sent, not used yet"),
    LinkStatus.ACCEPTED: gettext_lazy("accepted"),
    LinkStatus.ANSWERING: gettext_lazy("answering"),
    LinkStatus.ANSWERS_SENT: gettext_lazy("answers sent"),
    LinkStatus.EXPIRED: gettext_lazy("expired"),
    LinkStatus.REVOKED: gettext_lazy("revoked"),
}


def link_status(link: AccessLink, now: datetime) -> LinkStatus:
    """What became of a link: revoked first, then used, then expired, else sent."""
    if link.revoked_at is not None:
        return LinkStatus.REVOKED
    if link.kind == AccessLink.Kind.REFERENT:
        if link.used_at is not None:
            return LinkStatus.ACCEPTED
    else:
        try:
            respondent = link.respondent
        except Respondent.DoesNotExist:
            respondent = None
        if respondent is not None:
            return LinkStatus.ANSWERS_SENT if respondent.submitted_at else LinkStatus.ANSWERING
    if link.expires_at <= now:
        return LinkStatus.EXPIRED
    return LinkStatus.SENT


@dataclass(frozen=True)
class LinkRow:
    id: int
    kind: str
    email: str
    role: str  # the role's label in the reader's language ("" for a referent)
    status: LinkStatus
    status_label: str
    email_status: str  # the last e-mail's status, in the reader's language ("" for none)
    created_at: datetime
    expires_at: datetime
    #: A live link that can still open something: a respondent's not revoked, a referent's
    #: neither revoked nor used (a used one is ended through its membership).
    revocable: bool


@dataclass(frozen=True)
class MemberRow:
    id: int
    email: str
    created_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class OrganisationPeople:
    external_id: str
    name: str
    members: tuple[MemberRow, ...]
    invitations: tuple[LinkRow, ...]  # referent links of the wave
    respondents: tuple[LinkRow, ...]  # respondent links of the wave


def _last_email_status(link_ids: list[int]) -> dict[int, str]:
    last = (
        Email.objects.filter(link_id__in=link_ids)
        .values("link_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    return {
        email.link_id: str(email.get_status_display())
        for email in Email.objects.filter(pk__in=list(last))
    }


def organisations_people(
    *, wave: Wave, external_ids: list[str], role_labels: dict[str, str]
) -> list[OrganisationPeople]:
    """The people of these organisations in the wave, in the order given: five queries for
    the page, whatever the number of people."""
    organisations = {
        o.external_id: o for o in Organisation.objects.filter(external_id__in=external_ids)
    }
    ids = [o.pk for o in organisations.values()]
    links = list(
        AccessLink.objects.filter(wave=wave, organisation_id__in=ids)
        .select_related("respondent")
        .order_by("kind", "role", "email", "pk")
    )
    mailed = _last_email_status([link.pk for link in links])
    members = (
        Membership.objects.filter(organisation_id__in=ids)
        .select_related("user")
        .order_by("ended_at", "user__username")
    )
    now = timezone.now()
    by_organisation: dict[int, dict[str, list]] = {
        pk: {"members": [], "referent": [], "respondent": []} for pk in ids
    }
    for membership in members:
        by_organisation[membership.organisation_id]["members"].append(
            MemberRow(
                id=membership.pk,
                email=membership.user.email or membership.user.get_username(),
                created_at=membership.created_at,
                ended_at=membership.ended_at,
            )
        )
    for link in links:
        status = link_status(link, now)
        revocable = link.revoked_at is None and (
            link.kind == AccessLink.Kind.RESPONDENT or link.used_at is None
        )
        by_organisation[link.organisation_id][link.kind].append(
            LinkRow(
                id=link.pk,
                kind=link.kind,
                email=link_email(link),
                role=role_labels.get(link.role, link.role),
                status=status,
                status_label=str(STATUS_LABELS[status]),
                email_status=mailed.get(link.pk, ""),
                created_at=link.created_at,
                expires_at=link.expires_at,
                revocable=revocable,
            )
        )
    result = []
    for external_id in external_ids:
        organisation = organisations.get(external_id)
        if organisation is None:
            continue
        found = by_organisation[organisation.pk]
        result.append(
            OrganisationPeople(
                external_id=external_id,
                name=organisation.name,
                members=tuple(found["members"]),
                invitations=tuple(found["referent"]),
                respondents=tuple(found["respondent"]),
            )
        )
    return result


# ---- views -----------------------------------------------------------------------------------
def _role_labels(wave: Wave) -> dict[str, str]:
    questionnaire, _tables = wave_questionnaire(wave)
    language = get_language() or "fr"
    return {r.code: r.label.get(language) for r in questionnaire.roles}


@operator_required
def people(request, year: int):
    """The wave's organisations, a page at a time (searched and filtered like the response
    rates), each with its people and links."""
    wave = get_object_or_404(Wave, year=year)
    search = ProgressSearchForm(request.GET)
    text, status = search.criteria()
    role_labels = _role_labels(wave)
    progress = wave_progress(
        wave=wave,
        search=text,
        status=status,
        page=request.GET.get("page") or 1,
        per_page=PEOPLE_PAGE_SIZE,
        role_order=list(role_labels),
    )
    return render(
        request,
        "backoffice/people.html",
        {
            "wave": wave,
            "search": search,
            "progress": progress,
            "organisations": organisations_people(
                wave=wave,
                external_ids=[row.external_id for row in progress.rows],
                role_labels=role_labels,
            ),
        },
    )


def _back(request, wave: Wave, external_id: str) -> str:
    """Back to the page the action was taken from (a path of this site only), else to the
    organisation on the people screen."""
    back = request.POST.get("back", "")
    if back.startswith(reverse("backoffice:people", kwargs={"year": wave.year})):
        return back
    return (
        reverse("backoffice:people", kwargs={"year": wave.year})
        + f"?q={external_id}#organisation-{external_id}"
    )


@require_http_methods(["GET", "POST"])
@operator_required
def link_revoke_view(request, year: int, link_id: int):
    """Revoke a referent's invitation or a respondent's link; a GET, or a POST without
    `confirm=1`, says first what it does."""
    wave = get_object_or_404(Wave, year=year)
    link = get_object_or_404(
        AccessLink.objects.select_related("organisation"), pk=link_id, wave=wave
    )
    back = _back(request, wave, link.organisation.external_id)
    params = {"email": link_email(link) or _("(address erased)")}
    if request.POST.get("confirm") != "1":
        return render(
            request, "backoffice/confirm.html", _revoke_confirmation(wave, link, params, back)
        )
    try:
        with transaction.atomic():  # the revocation and its entry in the log, together
            if link.kind == AccessLink.Kind.REFERENT:
                referent_invitation_revoke(link=link)
            else:
                link_revoke(link=link)
            record(
                action=AuditEntry.Action.LINK_REVOKE,
                user=request.user,
                wave=wave,
                target=f"{link.organisation.external_id} {link.kind} link {link.pk}",
            )
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The link of %(email)s is revoked.") % params)
    return redirect(back)


def _revoke_confirmation(wave: Wave, link: AccessLink, params: dict, back: str) -> dict:
    if link.kind == AccessLink.Kind.REFERENT:
        title = _("Revoke the referent invitation of %(email)s?") % params
        consequences = [
            _(
                "The invitation sent to %(email)s stops working at once: it can no longer "
                "create an account nor give access to the organisation's results."
            )
            % params,
            _("To invite this referent again, send a new invitation."),
        ]
    else:
        title = _("Revoke the link of %(email)s?") % params
        consequences = [
            _(
                "The personal link sent to %(email)s stops working at once: they will no "
                "longer be able to open or finish their questionnaire."
            )
            % params,
            _("The answers they have already saved are kept."),
        ]
    return {
        "title": title,
        "consequences": consequences,
        "action_url": reverse(
            "backoffice:people_link_revoke", kwargs={"year": wave.year, "link_id": link.pk}
        ),
        "cancel_url": back,
        "back": back,
    }


@require_http_methods(["GET", "POST"])
@operator_required
def membership_end_view(request, year: int, membership_id: int):
    """End a referent's membership of an organisation; confirmed first."""
    wave = get_object_or_404(Wave, year=year)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_id
    )
    back = _back(request, wave, membership.organisation.external_id)
    params = {
        "email": membership.user.email or membership.user.get_username(),
        "organisation": membership.organisation.name,
    }
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "backoffice/confirm.html",
            {
                "title": _("End the access of %(email)s to %(organisation)s?") % params,
                "consequences": [
                    _(
                        "%(email)s will no longer see the results, the report nor the "
                        "colleagues of %(organisation)s, and can no longer invite anyone for "
                        "it, from their next page on."
                    )
                    % params,
                    _(
                        "Their referent invitations for this organisation are revoked; their "
                        "account stays, and so do the answers of the colleagues they invited."
                    ),
                    _("To give the access back, send them a new referent invitation."),
                ],
                "action_url": reverse(
                    "backoffice:people_membership_end",
                    kwargs={"year": wave.year, "membership_id": membership.pk},
                ),
                "cancel_url": back,
                "back": back,
            },
        )
    with transaction.atomic():
        membership_end(membership=membership)
        record(
            action=AuditEntry.Action.MEMBERSHIP_END,
            user=request.user,
            wave=wave,
            target=f"{membership.organisation.external_id} user {membership.user.pk}",
        )
    messages.success(request, _("The access of %(email)s to %(organisation)s is ended.") % params)
    return redirect(back)
