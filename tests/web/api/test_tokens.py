"""Personal tokens: only their hash is stored, they act as their person, revoked is refused;
the page where a person makes, sees and revokes them."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.web.api.models import ApiToken
from barometre.web.api.tokens import token_create, token_for_secret, token_revoke
from barometre.web.audit.models import AuditEntry
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_the_database_never_holds_the_secret(olivia):
    token, secret = token_create(user=olivia, name="scripts")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in "".join(str(value) for value in row.values())
    # the SHA-256 of the secret, worked out here, and the prefix shown in lists
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:12] and secret.startswith("brm_")
    assert len(secret) == 4 + 43  # 32 random bytes in URL-safe base64


def test_two_tokens_never_share_a_secret(olivia):
    secrets = {token_create(user=olivia, name=f"t{i}")[1] for i in range(20)}
    assert len(secrets) == 20


def test_a_token_opens_the_api_until_it_is_revoked(olivia):
    api = Api("en")
    token, secret = token_create(user=olivia, name="scripts")
    assert api.get("/waves", secret).status_code == 200
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()
    token_revoke(token=token, by=olivia)
    response = api.get("/waves", secret)
    assert response.status_code == 401
    assert response.json()["type"] == "urn:barometre:problem:invalid-token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_malformed_token_is_refused_not_taken_for_anonymous(olivia):
    api = Api("en")
    _token, secret = token_create(user=olivia, name="scripts")
    for header in (f"Bearer {secret}x", "Bearer brm_nothing", f"Token {secret}", "Bearer "):
        response = api.client.get("/api/v1/waves", headers={"Authorization": header})
        assert response.status_code == 401, header
    # without any header the public list is open
    assert api.get("/waves").status_code == 200


def test_the_token_of_a_deactivated_account_is_refused(olivia):
    _token, secret = token_create(user=olivia, name="scripts")
    get_user_model().objects.filter(pk=olivia.pk).update(is_active=False)
    assert token_for_secret(secret) is None


def test_creation_and_revocation_are_in_the_audit_log_without_the_secret(olivia):
    token, secret = token_create(user=olivia, name="scripts")
    token_revoke(token=token, by=olivia)
    token_revoke(token=token, by=olivia)  # twice: one entry
    entries = AuditEntry.objects.filter(action__startswith="api_token")
    assert sorted(e.action for e in entries) == ["api_token_create", "api_token_revoke"]
    assert all(e.target == token.prefix and secret not in e.target for e in entries)


def test_the_page_shows_a_new_secret_once(client, olivia):
    response = client.post(reverse("api_tokens"), {"name": "export mensuel"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=olivia)
    page = response.content.decode()
    start = page.index('<code id="new-token">') + len('<code id="new-token">')
    secret = page[start : page.index("</code>", start)]
    assert token_for_secret(secret) is not None
    again = client.get(reverse("api_tokens")).content.decode()
    assert secret not in again and token.prefix in again and "export mensuel" in again
    assert "no-store" in response["Cache-Control"]


def test_a_token_is_revoked_after_a_confirmation(client, olivia):
    token, secret = token_create(user=olivia, name="scripts")
    url = reverse("api_token_revoke", kwargs={"token_id": token.pk})
    assert client.get(url).status_code == 200  # the confirmation page
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert token_for_secret(secret) is None


def test_nobody_revokes_another_persons_token(client, olivia):
    other = get_user_model().objects.create_user("remi@un.example", password="x" * 12)
    token, secret = token_create(user=other, name="tableur")
    url = reverse("api_token_revoke", kwargs={"token_id": token.pk})
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert token_for_secret(secret) is not None


def test_the_page_needs_a_signed_in_person():
    from django.test import Client

    response = Client().get(reverse("api_tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_signed_in_browser_is_not_a_caller_of_the_api(client, olivia, wave):
    """The API never reads the session: a page of another site cannot make a signed-in
    operator's browser call it (no cookie rides along, so no CSRF)."""
    assert client.get(reverse("backoffice:waves")).status_code == 200  # signed in
    response = client.get("/api/v1/waves/2026/organisations")
    assert response.status_code == 401
    assert client.get("/api/v1/waves").json()["total"] == 0  # the public's list: no draft


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(guess=st.text(max_size=120))
def test_no_other_text_opens_the_api(olivia, guess):
    if not ApiToken.objects.exists():
        token_create(user=olivia, name="scripts")
    live = ApiToken.objects.get()
    found = token_for_secret(guess)
    assert found is None or hashlib.sha256(guess.encode()).hexdigest() == live.secret_hash
