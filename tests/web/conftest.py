"""Personas and a small wave for the web tests.

- Olivia is the operator (a staff account), signed in.
- Alice answers for "Office Alpha" (OPH) as IT lead (`numerique`).
- Bob answers for "Office Alpha" too, as general manager (`direction`).
- Chloé answers for "Habitat Beta" (ESH), another organisation.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Organisation
from tests.helpers import TINY

FRAME = (
    "organisation_id,name,family,dwellings,department\n"
    "ALPHA,Office Alpha,OPH,12000,59\n"
    "BETA,Habitat Beta,ESH,3000,2A\n"
    "GAMMA,Coop Gamma,COOP,800,35\n"
)


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
