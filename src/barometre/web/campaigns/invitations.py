"""Invitations by e-mail: referents of organisations (operator) and respondents (referent)."""

from __future__ import annotations

import pandas as pd
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.db import transaction
from django.forms import ValidationError

from barometre.errors import Code, InputError, Problem, problem
from barometre.tabular import parse_csv_text
from barometre.web.campaigns.mailing import emails_queue
from barometre.web.campaigns.models import AccessLink, Email, FrameEntry, Wave
from barometre.web.campaigns.services import link_create
from barometre.web.organisations.models import Organisation


class InvitationError(InputError):
    """The invitations file has problems; nothing was sent."""


#: Longest e-mail address (RFC 5321's 254, the database column's length).
EMAIL_MAX_LENGTH = AccessLink._meta.get_field("email").max_length or 254
#: A referent's address becomes the user name of their account, a shorter column.
REFERENT_EMAIL_MAX_LENGTH = min(
    EMAIL_MAX_LENGTH, get_user_model()._meta.get_field("username").max_length or 150
)


def _email_problems(
    emails: pd.Series, lines: pd.Series, source: str, limit: int = EMAIL_MAX_LENGTH
) -> list[Problem]:
    problems = []
    for email, line in zip(emails, lines, strict=True):
        if len(email) > limit:  # Django's validator lets up to 320 through
            problems.append(
                problem(
                    f"{source}:{line}",
                    Code.EMAIL_TOO_LONG,
                    length=len(email),
                    limit=limit,
                )
            )
            continue
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                problem(
                    f"{source}:{line}",
                    Code.INVALID_EMAIL,
                    email=email,
                )
            )
    return problems


def referents_from_csv(
    *, wave: Wave, csv_text: str, base_url: str, source: str = "invitations.csv"
) -> list[tuple[AccessLink, str]]:
    """Check a CSV `organisation_id,email`, create one referent link per row and queue its
    invitation e-mail, links and e-mails in one transaction: all of them, or nothing.

    Every problem is reported with its line and nothing is created when there is one.
    """
    table = parse_csv_text(
        csv_text, ["organisation_id", "email"], InvitationError, source, separator=None
    )
    lines = table.pop("line")
    table = table.apply(lambda column: column.str.strip())
    in_frame = set(
        FrameEntry.objects.filter(wave=wave).values_list("organisation__external_id", flat=True)
    )
    problems = [
        problem(
            f"{source}:{line}",
            Code.UNKNOWN_ORGANISATION_IN_WAVE,
            organisation=org,
            year=wave.year,
        )
        for org, line in zip(table["organisation_id"], lines, strict=True)
        if org not in in_frame
    ]
    problems += _email_problems(table["email"], lines, source, limit=REFERENT_EMAIL_MAX_LENGTH)
    if problems:
        raise InvitationError(source, problems)
    organisations = {
        o.external_id: o
        for o in Organisation.objects.filter(external_id__in=list(table["organisation_id"]))
    }
    with transaction.atomic():
        links = [
            link_create(
                wave=wave,
                organisation=organisations[row.organisation_id],
                kind=AccessLink.Kind.REFERENT,
                email=row.email,
            )
            for row in table.itertuples(index=False)
        ]
        emails_queue(
            links=[link for link, _t in links], kind=Email.Kind.INVITATION, base_url=base_url
        )
    return links
