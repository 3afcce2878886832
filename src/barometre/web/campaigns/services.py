"""Writes on waves, frames and links. Each service is one transaction: all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from barometre.errors import FrameError, QuestionnaireError
from barometre.organisations import FRAME_COLUMNS, check_frame, renamed_column_error
from barometre.questionnaire import parse_questionnaire
from barometre.tabular import parse_csv_text
from barometre.web.campaigns.models import RESULT_FIELDS, AccessLink, FrameEntry, Wave
from barometre.web.campaigns.questionnaires import questionnaire_digest, storage_problems
from barometre.web.campaigns.tokens import hash_token, new_salt, token_for_salt
from barometre.web.organisations.models import Organisation

#: Columns of a wave too large to load on every request (loaded when used).
HEAVY_WAVE_FIELDS = ("questionnaire_yaml", *RESULT_FIELDS)


class LinkError(Exception):
    """A link that does not exist, has expired or was revoked."""


class ActionRefused(ValueError):
    """An action the wave's state does not allow now (its message says why, translated)."""


def frame_from_csv(text: str, source: str) -> pd.DataFrame:
    """Parse and check a frame CSV given as text (every error with its line)."""
    try:
        table = parse_csv_text(text, FRAME_COLUMNS, FrameError, source, separator=None)
    except FrameError as error:
        header = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
        raise renamed_column_error(error, header) from None
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
    too_long = storage_problems(questionnaire, questionnaire_source)
    if too_long:
        raise QuestionnaireError(questionnaire_source, too_long)
    frame = frame_from_csv(frame_csv, frame_source)
    wave = Wave.objects.create(
        year=year,
        title=title,
        questionnaire_yaml=questionnaire_yaml,
        questionnaire_digest=questionnaire_digest(questionnaire_yaml),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        methodology_version=questionnaire.methodology.version,
    )
    organisations = _organisations_of(frame)
    entries = []
    for row in frame.to_dict("records"):
        entries.append(
            FrameEntry(
                wave=wave,
                organisation=organisations[row["organisation_id"]],
                organisation_type=row["organisation_type"],
                dwellings=row["dwellings"],
                department=row["department"],
                region=row["region"],
                size_class=row["size_class"],
            )
        )
    FrameEntry.objects.bulk_create(entries, batch_size=5000)
    return wave


def _organisations_of(frame: pd.DataFrame) -> dict[str, Organisation]:
    """The frame's organisations, those met for the first time created in bulk."""
    ids = list(frame["organisation_id"])
    existing = {
        o.external_id: o
        for chunk in range(0, len(ids), 5000)
        for o in Organisation.objects.filter(external_id__in=ids[chunk : chunk + 5000])
    }
    new = [
        Organisation(external_id=row["organisation_id"], name=row["name"])
        for row in frame.to_dict("records")
        if row["organisation_id"] not in existing
    ]
    Organisation.objects.bulk_create(new, batch_size=5000)
    if new:
        created = [o.external_id for o in new]
        for chunk in range(0, len(created), 5000):
            for o in Organisation.objects.filter(external_id__in=created[chunk : chunk + 5000]):
                existing[o.external_id] = o
    return existing


def _publishable(wave: Wave) -> bool:
    """A sector barometer needs a sector figure: an estimate not suppressed for lack of answers."""
    return wave.estimates is not None and wave.estimates.has_sector_index


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
    if target == Wave.Status.CLOSED:
        wave.closed_at = timezone.now()  # the retention of e-mail addresses counts from here
    elif target == Wave.Status.OPEN:
        wave.closed_at = None
    wave.save(update_fields=["status", "closed_at"])
    return wave


def link_create(
    *, wave: Wave, organisation: Organisation, kind: str, email: str, role: str = ""
) -> tuple[AccessLink, str]:
    """A new link; returns it with the clear token, which is never stored.

    Only for an organisation of the wave's frame: answers from any other could not be
    computed, and would block the wave's computation for good.
    """
    if not FrameEntry.objects.filter(wave=wave, organisation=organisation).exists():
        raise ActionRefused(
            _("%(organisation)s is not in the frame of this wave: no link can be made for it.")
            % {"organisation": organisation.external_id}
        )
    salt = new_salt()
    token = token_for_salt(salt)
    link = AccessLink.objects.create(
        wave=wave,
        organisation=organisation,
        kind=kind,
        role=role,
        email=email,
        token_salt=salt,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.BAROMETRE_INVITATION_DAYS),
    )
    return link, token


def link_token(link: AccessLink) -> str | None:
    """The clear token of a link, made again from its salt (for an e-mail or a reminder);
    None when it cannot be (a link made before salts, or the secret key has changed)."""
    if not link.token_salt:
        return None
    token = token_for_salt(link.token_salt)
    return token if hash_token(token) == link.token_hash else None


def link_revoke(*, link: AccessLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def link_for_token(token: str, kind: str) -> AccessLink:
    """The valid link of this token, or LinkError (unknown, expired or revoked)."""
    # a respondent's link comes with its respondent: one query for both
    related = (
        ("wave", "organisation", "respondent") if kind == "respondent" else ("wave", "organisation")
    )
    link = (
        AccessLink.objects.select_related(*related)
        # the wave's file and results are large and not needed to check a link
        .defer(*(f"wave__{name}" for name in HEAVY_WAVE_FIELDS))
        .filter(token_hash=hash_token(token), kind=kind)
        .first()
    )
    if link is None:
        raise LinkError(_("This link is not valid. Check that you copied it whole."))
    if link.revoked_at is not None:
        raise LinkError(
            _("This link has been revoked. Ask your organisation's referent for a new one.")
        )
    if link.kind == AccessLink.Kind.REFERENT and not link.email:
        # its address was erased (docs/privacy.md): no account can be made from it
        raise LinkError(_("This link has expired. Ask your organisation's referent for a new one."))
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
