"""The API's personas and their tokens, over a published synthetic wave.

- Olivia is the operator (a staff account) and holds an operator token.
- Rémi is the referent of SYN-0001 and holds a token; Sofia, the referent of SYN-0002, holds
  one too and must never reach Rémi's organisation.
- 2025 is a published wave of 30 synthetic organisations (computed, sector estimate);
  2026 is open; 2027 is a draft that only operators see.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.api.tokens import token_create
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create
from barometre.web.organisations.models import Membership, Organisation
from tests.helpers import TINY
from tests.web.conftest import FRAME, create_wave, wave_action


@dataclass(frozen=True)
class World:
    published: Wave
    open: Wave
    draft: Wave
    operator: str
    referent: str
    other: str


def bearer(secret: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"} if secret else {}


class Api:
    """A client of the API in one language, with an optional token."""

    def __init__(self, language: str = "fr"):
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)

    def get(self, path: str, token: str | None = None, **params):
        return self.client.get(f"/api/v1{path}", params, headers=bearer(token))

    def post(self, path: str, data=None, token: str | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", data, headers=bearer(token), **kwargs)

    def post_json(self, path: str, data, token: str | None = None):
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=bearer(token)
        )


@pytest.fixture
def api() -> Api:
    return Api("fr")


@pytest.fixture
def api_en() -> Api:
    return Api("en")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(load_questionnaire("hlm-2026"), organisations=30, seed=5)


def referent(email: str, organisation: str):
    user = get_user_model().objects.create_user(email, email=email, password="x" * 12)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(external_id=organisation)
    )
    return user


@pytest.fixture
def world(client, olivia, sector, computed_wave) -> World:
    published = computed_wave(sector, year=2025, then=("publish",))
    opened = create_wave(client, sector, 2026)
    wave_action(client, "open", 2026)
    draft = wave_create(year=2027, title="Brouillon 2027", questionnaire_yaml=TINY, frame_csv=FRAME)
    remi = referent("remi@un.example", "SYN-0001")
    sofia = referent("sofia@deux.example", "SYN-0002")
    return World(
        published=published,
        open=opened,
        draft=draft,
        operator=token_create(user=olivia, name="scripts")[1],
        referent=token_create(user=remi, name="tableur")[1],
        other=token_create(user=sofia, name="tableur")[1],
    )
