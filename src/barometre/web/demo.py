"""The demo database: a synthetic sector over two yearly waves, ready to click through.

- Wave N-1 is published: every organisation that answered has results, the sector page is out.
- Wave N is open: most of its respondents have sent their answers, one respondent link is left
  for the visitor to try, and the operator can close, compute and publish it.
Accounts: one operator, one referent per type of organisation. Everything is synthetic and
every page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from barometre.errors import BarometreError
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import builtin_path, load_questionnaire
from barometre.simulate import SimulatedSector, simulate_next_wave, simulate_sector
from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer, AnswerChange, Respondent

OPERATOR = ("operateur@demo.barometre.invalid", "demo-operateur")


class DemoTooSmall(BarometreError):
    """The sector asked for is too small for the demo's published wave; nothing was kept."""


REFERENT_PASSWORD = "demo-referent"


@dataclass(frozen=True)
class DemoAccounts:
    operator: tuple[str, str]
    referents: list[tuple[str, str, str]]  # (organisation type, e-mail, organisation name)
    respondent_path: str
    years: tuple[int, int]


def demo_sectors(
    *, organisations: int = 570, seed: int = 2026
) -> tuple[SimulatedSector, SimulatedSector]:
    """The two synthetic waves of the demo: seed − 1 for the first, seed for the next."""
    questionnaire = load_questionnaire("hlm-2026")
    first = simulate_sector(questionnaire, organisations=organisations, seed=seed - 1)
    return first, simulate_next_wave(questionnaire, first, seed=seed)


def build_demo(
    *, first: SimulatedSector, second: SimulatedSector, year: int = 2026
) -> DemoAccounts:
    text = builtin_path("hlm-2026").read_text(encoding="utf-8")
    with transaction.atomic():
        before = _wave(year - 1, text, first)
        load_answers(before, first.responses)
        wave_transition(wave=before, target=Wave.Status.CLOSED)
        before = wave_compute(wave=before)
        if before.estimates is None or not before.estimates.has_sector_index:
            # too few organisations answered: nothing to publish
            raise DemoTooSmall(
                f"The demo's first wave has no sector estimate to publish "
                f"({before.estimate_problem or 'too few organisations answered'}): "
                "ask for more organisations (--organisations 60 or more)."
            )
        wave_transition(wave=before, target=Wave.Status.PUBLISHED)
        current = _wave(year, text, second)
        load_answers(current, second.responses)
        referents = _referents(first, second)
        respondent_path = _visitor_link(current, referents)
        user = get_user_model().objects.create_user(
            OPERATOR[0], email=OPERATOR[0], password=OPERATOR[1], is_staff=True
        )
        user.save()
    return DemoAccounts(
        operator=OPERATOR,
        referents=referents,
        respondent_path=respondent_path,
        years=(year - 1, year),
    )


def _wave(year: int, text: str, sector: SimulatedSector) -> Wave:
    wave = wave_create(
        year=year,
        title=f"Baromètre {year} (données synthétiques)",
        questionnaire_yaml=text,
        frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


def load_answers(wave: Wave, responses: pd.DataFrame) -> None:
    """Create each synthetic respondent with a link, and their answers, as sent."""
    organisations = {o.external_id: o for o in Organisation.objects.all()}
    people = responses.drop_duplicates("respondent_id")[
        ["respondent_id", "organisation_id", "role"]
    ]
    now = timezone.now()
    by_id: dict[str, Respondent] = {}
    for row in people.to_dict("records"):
        link, _token = link_create(
            wave=wave,
            organisation=organisations[row["organisation_id"]],
            kind=AccessLink.Kind.RESPONDENT,
            role=row["role"],
            email=f"{row['respondent_id'].lower()}@demo.barometre.invalid",
        )
        by_id[row["respondent_id"]] = Respondent(
            wave=wave,
            organisation=organisations[row["organisation_id"]],
            role=row["role"],
            link=link,
            submitted_at=now,
        )
    Respondent.objects.bulk_create(by_id.values())
    saved = {r.link_id: r for r in Respondent.objects.filter(wave=wave)}
    respondents = {key: saved[value.link_id] for key, value in by_id.items()}
    given = responses[responses["answer"] != ""]
    triples = list(zip(given["respondent_id"], given["item_id"], given["answer"], strict=True))
    Answer.objects.bulk_create(
        (Answer(respondent=respondents[r], field_id=f, value=v) for r, f, v in triples),
        batch_size=5000,
    )
    AnswerChange.objects.bulk_create(
        (
            AnswerChange(
                respondent=respondents[r],
                field_id=f,
                value=v,
                version=1,
                changed_at=now,
                channel=AnswerChange.Channel.IMPORT,
            )
            for r, f, v in triples
        ),
        batch_size=5000,
    )
    for respondent_id, count in given.groupby("respondent_id").size().items():
        Respondent.objects.filter(pk=respondents[str(respondent_id)].pk).update(answered=count)


def _referents(first: SimulatedSector, second: SimulatedSector) -> list[tuple[str, str, str]]:
    """One referent per type of organisation, for an organisation that answered both waves."""
    both = first.latent["responded"].to_numpy() & second.latent["responded"].to_numpy()
    frame = first.frame[both]
    accounts = []
    for organisation_type, group in frame.groupby("organisation_type", sort=False):
        row = group.iloc[0]
        organisation = Organisation.objects.get(external_id=row["organisation_id"])
        email = f"referent-{organisation_type.lower()}@demo.barometre.invalid"
        user = get_user_model().objects.create_user(email, email=email, password=REFERENT_PASSWORD)
        Membership.objects.create(user=user, organisation=organisation)
        accounts.append((organisation_type, email, organisation.name))
    return accounts


def _visitor_link(wave: Wave, referents) -> str:
    """A fresh respondent link for the visitor (IT lead of the first referent's organisation)."""
    organisation = Organisation.objects.get(name=referents[0][2])
    _link, token = link_create(
        wave=wave,
        organisation=organisation,
        kind=AccessLink.Kind.RESPONDENT,
        role="numerique",
        email="visiteur@demo.barometre.invalid",
    )
    return f"/repondre/{token}/"
