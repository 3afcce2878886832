"""Invitations by e-mail: referents of organisations (operator) and respondents (referent)."""

from __future__ import annotations

import pandas as pd
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.forms import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from barometre.errors import InputError, Problem, gettext_noop, problem
from barometre.tabular import parse_csv_text
from barometre.web.campaigns.models import AccessLink, FrameEntry, Wave
from barometre.web.campaigns.services import link_create
from barometre.web.organisations.models import Organisation


class InvitationError(InputError):
    """The invitations file has problems; nothing was sent."""


def _email_problems(emails: pd.Series, lines: pd.Series, source: str) -> list[Problem]:
    problems = []
    for email, line in zip(emails, lines, strict=True):
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                problem(
                    f"{source}:{line}",
                    "invalid_email",
                    gettext_noop("'%(email)s' is not an e-mail address"),
                    email=email,
                )
            )
    return problems


def referents_from_csv(
    *, wave: Wave, csv_text: str, source: str = "invitations.csv"
) -> list[tuple[AccessLink, str]]:
    """Check a CSV `organisation_id,email` and create one referent link per row.

    Every problem is reported with its line and nothing is created when there is one.
    """
    table = parse_csv_text(csv_text, ["organisation_id", "email"], InvitationError, source)
    lines = table.pop("line")
    table = table.apply(lambda column: column.str.strip())
    in_frame = set(
        FrameEntry.objects.filter(wave=wave).values_list("organisation__external_id", flat=True)
    )
    problems = [
        problem(
            f"{source}:{line}",
            "unknown_organisation",
            gettext_noop("organisation '%(organisation)s' is not in the frame of wave %(year)s"),
            organisation=org,
            year=wave.year,
        )
        for org, line in zip(table["organisation_id"], lines, strict=True)
        if org not in in_frame
    ]
    problems += _email_problems(table["email"], lines, source)
    if problems:
        raise InvitationError(source, problems)
    organisations = {
        o.external_id: o
        for o in Organisation.objects.filter(external_id__in=list(table["organisation_id"]))
    }
    with transaction.atomic():
        return [
            link_create(
                wave=wave,
                organisation=organisations[row.organisation_id],
                kind=AccessLink.Kind.REFERENT,
                email=row.email,
            )
            for row in table.itertuples(index=False)
        ]


def send_invitation(*, link: AccessLink, token: str, base_url: str) -> None:
    """E-mail the personal link (through Django's e-mail backend)."""
    if link.kind == AccessLink.Kind.REFERENT:
        url = base_url + reverse("organisations:accept", kwargs={"token": token})
        subject = _("Digital maturity barometer %(year)s: your organisation is invited") % {
            "year": link.wave.year
        }
        body = _(
            "Hello,\n\nYou are invited to coordinate the answers of %(organisation)s to the "
            "digital maturity barometer of social housing %(year)s. Create your access "
            "with this personal link (valid until %(expiry)s):\n\n%(url)s\n"
        ) % {
            "organisation": link.organisation.name,
            "year": link.wave.year,
            "url": url,
            "expiry": link.expires_at.date().isoformat(),
        }
    else:
        url = base_url + reverse("responses:start", kwargs={"token": token})
        subject = _("Digital maturity barometer %(year)s: your questionnaire") % {
            "year": link.wave.year
        }
        body = _(
            "Hello,\n\n%(organisation)s takes part in the digital maturity barometer of "
            "social housing %(year)s. Your questionnaire takes about 20 minutes; your "
            "answers are saved as you go and you can come back with the same link (valid "
            "until %(expiry)s):\n\n%(url)s\n"
        ) % {
            "organisation": link.organisation.name,
            "year": link.wave.year,
            "url": url,
            "expiry": link.expires_at.date().isoformat(),
        }
    send_mail(subject, body, None, [link.email])
