"""Personas, the reader's language and small waves for the web tests.

- Olivia is the operator (a staff account), signed in.
- Alice answers for "Office Alpha" (OPH) as IT lead (`numerique`).
- Bob answers for "Office Alpha" too, as general manager (`direction`).
- Chloé answers for "Habitat Beta" (ESH), another organisation.

`client` asks for French and `client_en` for English (the locale middleware reads the
browser's Accept-Language), so that no test depends on the default language.
`computed_wave` makes a wave of a simulated sector through the back office: created from its
frame, opened, answered by every simulated respondent, closed and computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Answer, Respondent
from tests.helpers import TINY

FRAME = (
    "organisation_id,name,organisation_type,dwellings,department\n"
    "ALPHA,Office Alpha,OPH,12000,59\n"
    "BETA,Habitat Beta,ESH,3000,2A\n"
    "GAMMA,Coop Gamma,COOP,800,35\n"
)


@pytest.fixture
def client() -> Client:
    """A reader whose browser asks for French (pytest-django's `client`, with the language)."""
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def client_en() -> Client:
    """A reader whose browser asks for English."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def wave(db) -> Wave:
    wave = wave_create(year=2026, title="Baromètre 2026", questionnaire_yaml=TINY, frame_csv=FRAME)
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


def _link(wave: Wave, org: str, role: str, email: str) -> str:
    _link_object, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id=org),
        kind=AccessLink.Kind.RESPONDENT,
        role=role,
        email=email,
    )
    return token


@pytest.fixture
def alice(wave) -> str:
    return _link(wave, "ALPHA", "numerique", "alice@alpha.example")


@pytest.fixture
def bob(wave) -> str:
    return _link(wave, "ALPHA", "direction", "bob@alpha.example")


@pytest.fixture
def chloe(wave) -> str:
    return _link(wave, "BETA", "clientele", "chloe@beta.example")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run requests as if their transaction committed: the jobs they start run then (tasks
    run at once in tests), as a worker would run them after the commit."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


@pytest.fixture
def olivia(client):
    user = get_user_model().objects.create_user(
        "olivia@operateur.example", password="x" * 12, is_staff=True
    )
    client.force_login(user)
    return user


# --- A wave of a simulated sector, made through the back office ----------------------------


def create_wave(client, sector, year: int = 2026) -> Wave:
    """The operator creates a wave of the built-in questionnaire from the sector's frame."""
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": year,
            "title": f"Baromètre {year}",
            "frame": SimpleUploadedFile(
                "frame.csv", csv_text(sector.frame[FRAME_COLUMNS]).encode()
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Wave.objects.get(year=year)


def wave_action(client, action: str, year: int = 2026):
    """An operator's button on the wave page (confirmed when it asks first)."""
    return client.post(
        reverse("backoffice:action", kwargs={"year": year, "action": action}), {"confirm": "1"}
    )


def answer_everything(wave: Wave, sector) -> None:
    """Load the simulator's answers as if each respondent had answered online and sent."""
    for respondent_id, rows in sector.responses.groupby("respondent_id"):
        org = Organisation.objects.get(external_id=rows["organisation_id"].iloc[0])
        link, _token = link_create(
            wave=wave,
            organisation=org,
            kind="respondent",
            email=f"{respondent_id}@example.org",
            role=rows["role"].iloc[0],
        )
        person = Respondent.objects.create(
            wave=wave, organisation=org, link=link, role=rows["role"].iloc[0]
        )
        Answer.objects.bulk_create(
            Answer(respondent=person, field_id=f, value=v)
            for f, v in zip(rows["item_id"], rows["answer"], strict=True)
        )
        person.submitted_at = person.created_at
        person.save()


@pytest.fixture
def answered_wave(client, olivia) -> Callable[..., Wave]:
    """`answered_wave(sector)`: Olivia creates the sector's wave and opens it, and every
    simulated respondent answers and sends. The client stays signed in as Olivia."""

    def make(sector, *, year: int = 2026) -> Wave:
        wave = create_wave(client, sector, year)
        wave_action(client, "open", year)
        answer_everything(wave, sector)
        return wave

    return make


@pytest.fixture
def computed_wave(client, answered_wave, committed) -> Callable[..., Wave]:
    """`computed_wave(sector, then=("publish",))`: an answered wave that Olivia closes and
    computes (the computation is a job, run as after the commit), then takes the actions of
    `then` (publish, reports...) in order. `before_close(wave)` runs while the wave is open
    and answered."""

    def make(
        sector,
        *,
        then: Iterable[str] = (),
        before_close: Callable[[Wave], None] | None = None,
        year: int = 2026,
    ) -> Wave:
        wave = answered_wave(sector, year=year)
        if before_close is not None:
            before_close(wave)
        for action in ("close", "compute"):
            with committed():
                assert wave_action(client, action, year).status_code == 302
        wave.refresh_from_db()
        assert wave.status == Wave.Status.COMPUTED, wave.status
        for action in then:
            with committed():
                assert wave_action(client, action, year).status_code == 302
        wave.refresh_from_db()
        return wave

    return make
