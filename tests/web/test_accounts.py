"""Accounts: sign-in throttling, passwords checked against the account, password change and
reset by e-mail (issue 10, finding 6).

Personas: Rémi is the referent of Office Alpha (an account with a password); Olivia is the
operator. The lock rule of the settings: AXES_FAILURE_LIMIT (5) wrong passwords in a row lock
the account for AXES_COOLOFF_TIME (15 minutes) after the last of them.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import emails

from barometre.web.campaigns.models import AccessLink
from barometre.web.campaigns.services import link_create
from barometre.web.jobs.models import Job
from barometre.web.organisations.accounts import signin_username
from barometre.web.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

REMI = "remi@alpha.example"
REMI_PASSWORD = "le-mot-de-passe-de-remi"
#: An address from the documentation range (RFC 5737), sent as the client's by every test
#: request of this module, directly and through a proxy header.
ADDRESS = "203.0.113.7"


@pytest.fixture
def remi(wave):
    user = get_user_model().objects.create_user(REMI, email=REMI, password=REMI_PASSWORD)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id="ALPHA"))
    return user


def browser(language: str = "fr") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=ADDRESS)


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return client.get(reverse("organisations:home")).status_code == 200


def wait_out_the_lock() -> None:
    """As if the cool-off had passed since the last attempt: the attempts are made older."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )


# ---- throttling ------------------------------------------------------------------------------
def test_thirty_wrong_passwords_then_the_right_one_is_refused(remi):
    client = browser()
    for attempt in range(30):
        response = sign_in(client, REMI, f"wrong-{attempt}")
        assert response.status_code in (200, 429)  # never a blank 403 nor an error
    response = sign_in(client, REMI, REMI_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Trop de mots de passe erronés pour ce compte" in page
    assert "15 minutes" in page
    assert 'name="username"' in page  # the sign-in page itself, with its form
    assert reverse("password_reset") in page


def test_the_fifth_wrong_password_locks_and_the_fourth_does_not(remi):
    client = browser()
    for attempt in range(4):
        assert sign_in(client, REMI, f"wrong-{attempt}").status_code == 200
    assert sign_in(client, REMI, REMI_PASSWORD).status_code == 302  # 4 failures: still open
    client.logout()
    for attempt in range(5):  # the success above started the count again
        response = sign_in(client, REMI, f"wrong-{attempt}")
    assert response.status_code == 429  # the fifth failure already says it


def test_the_lock_lifts_by_itself_after_the_cool_off(remi):
    client = browser("en")
    for attempt in range(5):
        sign_in(client, REMI, f"wrong-{attempt}")
    locked = sign_in(client, REMI, REMI_PASSWORD)
    assert locked.status_code == 429
    assert "Too many wrong passwords for this account" in locked.content.decode()
    wait_out_the_lock()
    assert sign_in(client, REMI, REMI_PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lock_is_per_account_whatever_the_case_of_the_address(remi):
    sofia = get_user_model().objects.create_user(
        "sofia@beta.example", email="sofia@beta.example", password="le-mot-de-passe-de-sofia"
    )
    attacker = browser()
    for attempt, spelling in enumerate(["REMI@alpha.example", " Remi@Alpha.Example "] * 3):
        sign_in(attacker, spelling, f"wrong-{attempt}")
    assert sign_in(browser(), REMI, REMI_PASSWORD).status_code == 429  # from anywhere
    # another account, from the same browser and address, is not locked
    assert sign_in(attacker, sofia.username, "le-mot-de-passe-de-sofia").status_code == 302


def test_no_ip_address_is_stored_in_any_table(remi):
    client = browser()
    for attempt in range(7):
        sign_in(client, REMI, f"wrong-{attempt}")
    sign_in(client, "nobody@example.org", "wrong")
    wait_out_the_lock()
    assert sign_in(client, REMI, REMI_PASSWORD).status_code == 302
    client.get(reverse("organisations:home"))
    client.post(reverse("logout"))
    sign_in(client, REMI, "wrong-again")  # a failure left in the table
    assert AccessAttempt.objects.exists()
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields]
        for row in model._default_manager.values_list(*columns):
            assert not any(ADDRESS in str(value) for value in row), (model.__name__, row)
    assert not AccessAttempt.objects.exclude(ip_address=None).exists()


# ---- passwords -------------------------------------------------------------------------------
def referent_invitation(wave, email: str = REMI) -> str:
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id="ALPHA"),
        kind=AccessLink.Kind.REFERENT,
        email=email,
    )
    return reverse("organisations:accept", kwargs={"token": token})


@pytest.mark.parametrize("password", [REMI, "remi@alpha.examplE", "alpha.example"])
def test_a_new_referent_cannot_choose_a_password_like_the_email(client, wave, password):
    url = referent_invitation(wave)
    response = client.post(url, {"password": password})
    assert response.status_code == 200
    assert "trop semblable" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert client.post(url, {"password": "une-phrase-de-passe-solide"}).status_code == 302
    assert get_user_model().objects.get(username=REMI).check_password("une-phrase-de-passe-solide")


def test_a_signed_in_user_changes_the_password(client, remi):
    client.force_login(remi)
    home = client.get(reverse("organisations:home")).content.decode()
    assert reverse("password_change") in home  # the header's link
    page = client.get(reverse("password_change")).content.decode()
    assert "Modifier mon mot de passe" in page
    refused = client.post(
        reverse("password_change"),
        {"old_password": "pas-le-bon", "new_password1": "x", "new_password2": "x"},
    )
    assert refused.status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": REMI_PASSWORD,
            "new_password1": "un-nouveau-mot-de-passe",
            "new_password2": "un-nouveau-mot-de-passe",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert signed_in(client)  # the session survives its own password change
    remi.refresh_from_db()
    assert remi.check_password("un-nouveau-mot-de-passe")


def test_the_password_change_page_needs_a_signed_in_user(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def reset_link(body: str) -> str:
    found = re.findall(r"https?://[^\s]+/mot-de-passe/nouveau/[^\s]+/", body)
    assert found, body
    return found[0]


def test_a_forgotten_password_is_reset_by_email_and_the_lock_lifts(remi, committed, settings):
    settings.BAROMETRE_SITE_URL = "https://barometre.example.org"
    client = browser()
    for attempt in range(5):
        sign_in(client, REMI, f"wrong-{attempt}")
    login_page = client.get(reverse("login")).content.decode()
    assert "Mot de passe oublié\u202f?" in login_page
    with committed():
        response = client.post(reverse("password_reset"), {"email": "Remi@Alpha.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [REMI]
    assert "choisir un nouveau mot de passe" in message.subject
    assert "— English —" in message.body and "choose a new password" in message.body
    link = reset_link(message.body)
    assert link.startswith("https://barometre.example.org/mot-de-passe/nouveau/")
    # the link is made by the worker when it sends: no token in the job's record
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Job.objects.filter(params__icontains=token).exists()
    path = link.removeprefix("https://barometre.example.org")
    form = client.get(path, follow=True)
    assert "Choisir un nouveau mot de passe" in form.content.decode()
    set_password = form.redirect_chain[-1][0]
    too_close = client.post(set_password, {"new_password1": REMI, "new_password2": REMI})
    assert too_close.status_code == 200  # the validators know the account's e-mail
    done = client.post(
        set_password,
        {
            "new_password1": "un-mot-de-passe-tout-neuf",
            "new_password2": "un-mot-de-passe-tout-neuf",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    # the new password works at once: the reset lifted the lock
    assert sign_in(client, REMI, "un-mot-de-passe-tout-neuf").status_code == 302
    client.post(reverse("logout"))
    assert client.get(path, follow=True).context["validlink"] is False  # used once


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, committed):
    with committed():
        response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert not mail.outbox
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "Si un compte a cette adresse" in page


def test_a_second_reset_within_five_minutes_sends_no_second_email(client, remi, committed):
    for _attempt in range(3):
        with committed():
            response = client.post(reverse("password_reset"), {"email": REMI})
        assert response["Location"] == reverse("password_reset_done")  # the same page
    assert len(mail.outbox) == 1
    Job.objects.update(created_at=F("created_at") - timedelta(minutes=5, seconds=1))
    with committed():
        client.post(reverse("password_reset"), {"email": REMI})
    assert len(mail.outbox) == 2


@given(email=emails(), spelling=st.sampled_from([str.upper, str.title, lambda e: f"  {e} "]))
def test_every_spelling_of_an_address_counts_against_the_same_account(email, spelling):
    assert signin_username(None, {"username": spelling(email)}) == email.lower()


def test_the_password_pages_read_in_english(client_en, remi):
    assert "Forgotten password" in client_en.get(reverse("password_reset")).content.decode()
    client_en.force_login(remi)
    page = client_en.get(reverse("password_change")).content.decode()
    assert "Change my password" in page and "My password" in page
