"""Writes on waves, frames and links. Each service is one transaction: all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from barometre.errors import FrameError
from barometre.organisations import FRAME_COLUMNS, check_frame
from barometre.questionnaire import parse_questionnaire
from barometre.tabular import parse_csv_text
from barometre.web.campaigns.models import AccessLink, FrameEntry, Wave
from barometre.web.campaigns.tokens import hash_token, new_token
from barometre.web.organisations.models import Organisation


class LinkError(Exception):
    """A link that does not exist, has expired or was revoked."""


def frame_from_csv(text: str, source: str) -> pd.DataFrame:
    """Parse and check a frame CSV given as text (every error with its line)."""
    table = parse_csv_text(text, FRAME_COLUMNS, FrameError, source)
    return check_frame(table, source)


@transaction.atomic
def wave_create(
    *,
    year: int,
    title: str,
    questionnaire_yaml: str,
    frame_csv: str,
    questionnaire_source: str = "questionnaire",
    frame_source: str = "frame",
) -> Wave:
    """Create a wave from a questionnaire and a frame; any error leaves the database as it was."""
    questionnaire = parse_questionnaire(questionnaire_yaml, questionnaire_source)
    frame = frame_from_csv(frame_csv, frame_source)
    wave = Wave.objects.create(
        year=year,
        title=title,
        questionnaire_yaml=questionnaire_yaml,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        methodology_version=questionnaire.methodology.version,
    )
    existing = {
        o.external_id: o
        for o in Organisation.objects.filter(external_id__in=list(frame["organisation_id"]))
    }
    entries = []
    for row in frame.itertuples(index=False):
        organisation = existing.get(row.organisation_id)
        if organisation is None:
            organisation = Organisation.objects.create(
                external_id=row.organisation_id, name=row.name
            )
        entries.append(
            FrameEntry(
                wave=wave,
                organisation=organisation,
                family=row.family,
                dwellings=row.dwellings,
                department=row.department,
                region=row.region,
                size_class=row.size_class,
            )
        )
    FrameEntry.objects.bulk_create(entries)
    return wave


def _publishable(wave: Wave) -> bool:
    """A sector barometer needs a sector figure: an estimate not suppressed for lack of answers."""
    if not wave.estimates_json:
        return False
    return wave.estimates_json["domains"]["sector"][0]["global"].get("value") is not None


TRANSITIONS = {
    Wave.Status.DRAFT: {Wave.Status.OPEN},
    Wave.Status.OPEN: {Wave.Status.CLOSED},
    Wave.Status.CLOSED: {Wave.Status.OPEN, Wave.Status.COMPUTED},
    Wave.Status.COMPUTED: {Wave.Status.PUBLISHED, Wave.Status.COMPUTED},
    Wave.Status.PUBLISHED: set(),
}


@transaction.atomic
def wave_transition(*, wave: Wave, target: Wave.Status) -> Wave:
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if target == Wave.Status.PUBLISHED and not _publishable(wave):
        raise ValueError(_("The sector barometer cannot be published without a sector estimate."))
    if target not in TRANSITIONS[Wave.Status(wave.status)]:
        raise ValueError(
            _("A wave cannot go from %(source)s to %(target)s.")
            % {"source": Wave.Status(wave.status).label, "target": target.label}
        )
    wave.status = target
    wave.save(update_fields=["status"])
    return wave


def link_create(
    *, wave: Wave, organisation: Organisation, kind: str, email: str, role: str = ""
) -> tuple[AccessLink, str]:
    """A new link; returns it with the clear token, which is never stored."""
    token = new_token()
    link = AccessLink.objects.create(
        wave=wave,
        organisation=organisation,
        kind=kind,
        role=role,
        email=email,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.BAROMETRE_INVITATION_DAYS),
    )
    return link, token


def link_revoke(*, link: AccessLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def link_for_token(token: str, kind: str) -> AccessLink:
    """The valid link of this token, or LinkError (unknown, expired or revoked)."""
    link = (
        AccessLink.objects.select_related("wave", "organisation")
        .filter(token_hash=hash_token(token), kind=kind)
        .first()
    )
    if link is None:
        raise LinkError(_("This link is not valid. Check that you copied it whole."))
    if link.revoked_at is not None:
        raise LinkError(
            _("This link has been revoked. Ask your organisation's referent for a new one.")
        )
    if link.kind == AccessLink.Kind.REFERENT and link.used_at is not None:
        raise LinkError(
            _(
                "This invitation has already been used. Sign in with your e-mail "
                "address and password."
            )
        )
    if link.expires_at <= timezone.now():
        raise LinkError(_("This link has expired. Ask your organisation's referent for a new one."))
    return link
