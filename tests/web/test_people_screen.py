"""Ending an access: revoking a referent's invitation, ending a membership, and the operator's
screen of a wave's people and links (issue 10, finding 7).

Personas: Olivia is the operator. Rémi was invited as the referent of Office Alpha; Alice,
Bob and Chloé are respondents (tests/web/conftest.py).
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.web.audit.models import AuditEntry
from barometre.web.backoffice.people import _back
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, link_revoke
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.services import (
    colleague_invite,
    membership_end,
    referent_invitation_revoke,
)
from barometre.web.responses.models import Respondent

pytestmark = pytest.mark.django_db

REMI = "remi@alpha.example"


def alpha() -> Organisation:
    return Organisation.objects.get(external_id="ALPHA")


def invite_referent(wave: Wave, email: str = REMI) -> tuple[AccessLink, str]:
    link, token = link_create(
        wave=wave, organisation=alpha(), kind=AccessLink.Kind.REFERENT, email=email
    )
    return link, reverse("organisations:accept", kwargs={"token": token})


@pytest.fixture
def remi(wave):
    """Rémi has accepted his invitation: an account and a membership of Office Alpha."""
    user = get_user_model().objects.create_user(REMI, email=REMI, password="x" * 12)
    Membership.objects.create(user=user, organisation=alpha())
    return user


def people_url(wave: Wave) -> str:
    return reverse("backoffice:people", kwargs={"year": wave.year})


# ---- revoking a referent's invitation -----------------------------------------------------
def test_the_operator_revokes_a_referent_invitation_which_then_creates_nothing(
    client, olivia, wave
):
    link, accept_url = invite_referent(wave)
    page = client.get(people_url(wave) + "?q=ALPHA").content.decode()
    assert REMI in page and 'data-status="sent"' in page
    revoke_url = reverse("backoffice:people_link_revoke", kwargs={"year": 2026, "link_id": link.pk})
    asked = client.post(revoke_url)  # without confirm=1: the consequences first
    assert "Révoquer l'invitation de référent de remi@alpha.example\u202f?" in html.unescape(
        asked.content.decode()
    )
    link.refresh_from_db()
    assert link.revoked_at is None
    done = client.post(revoke_url, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"].startswith(people_url(wave))
    link.refresh_from_db()
    assert link.revoked_at is not None
    logged = AuditEntry.objects.get(action=AuditEntry.Action.LINK_REVOKE)
    assert (logged.user, logged.wave, logged.target) == (
        olivia,
        wave,
        f"ALPHA referent link {link.pk}",
    )
    client.logout()
    refused = client.post(accept_url, {"password": "une-phrase-de-passe-solide"})
    assert refused.status_code == 404
    assert "révoqué" in refused.content.decode()
    assert not get_user_model().objects.filter(username=REMI).exists()
    assert not Membership.objects.filter(organisation=alpha()).exists()


def test_an_invitation_revoked_while_its_page_is_open_creates_no_account(client, wave):
    link, accept_url = invite_referent(wave)
    assert client.get(accept_url).status_code == 200  # the page is shown...
    referent_invitation_revoke(link=AccessLink.objects.get(pk=link.pk))  # ...then revoked
    assert client.post(accept_url, {"password": "une-phrase-de-passe-solide"}).status_code == 404
    assert not get_user_model().objects.exists()


def test_the_accept_service_itself_refuses_a_revoked_link(wave):
    from barometre.web.campaigns.services import LinkError
    from barometre.web.organisations.services import referent_accept

    link, _url = invite_referent(wave)
    stale = AccessLink.objects.get(pk=link.pk)  # read before the revocation
    link_revoke(link=link)
    with pytest.raises(LinkError):
        referent_accept(link=stale, password="une-phrase-de-passe-solide")
    assert not get_user_model().objects.exists()


def test_an_accepted_invitation_is_ended_through_its_membership(wave, remi):
    link, _url = invite_referent(wave)
    link.used_at = timezone.now()
    link.save()
    from barometre.web.campaigns.services import ActionRefused

    with pytest.raises(ActionRefused):
        referent_invitation_revoke(link=link)


# ---- ending a membership ---------------------------------------------------------------------
def test_an_ended_membership_opens_neither_the_dashboard_nor_colleague_invitations(
    client, wave, remi
):
    dashboard = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    client.force_login(remi)
    assert client.get(dashboard).status_code == 200
    assert "Office Alpha" in client.get(reverse("organisations:home")).content.decode()
    membership_end(membership=Membership.objects.get(user=remi))
    assert client.get(dashboard).status_code == 403
    invite = client.post(dashboard, {"email": "nouveau@alpha.example", "role": "numerique"})
    assert invite.status_code == 403
    assert not AccessLink.objects.filter(email="nouveau@alpha.example").exists()
    assert "Office Alpha" not in client.get(reverse("organisations:home")).content.decode()
    with pytest.raises(PermissionDenied):  # the service's own rule, not only the view's
        colleague_invite(
            by=remi,
            wave=wave,
            organisation=alpha(),
            email="nouveau@alpha.example",
            role="numerique",
            base_url="http://testserver",
        )


def test_an_ended_membership_no_longer_opens_the_report(client, wave, remi):
    url = reverse("organisations:report_html", kwargs={"external_id": "ALPHA", "year": 2026})
    client.force_login(remi)
    assert client.get(url).status_code == 404  # a member: allowed, but no results yet
    membership_end(membership=Membership.objects.get(user=remi))
    assert client.get(url).status_code == 403  # no longer allowed at all
    pdf = reverse("organisations:report_pdf", kwargs={"external_id": "ALPHA", "year": 2026})
    assert client.get(pdf).status_code == 403


def test_an_ended_membership_no_longer_revokes_colleagues_links(client, wave, remi, alice):
    link = AccessLink.objects.get(email="alice@alpha.example")
    url = reverse(
        "organisations:revoke", kwargs={"external_id": "ALPHA", "year": 2026, "link_id": link.pk}
    )
    membership_end(membership=Membership.objects.get(user=remi))
    client.force_login(remi)
    assert client.post(url, {"confirm": "1"}).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_operator_ends_a_membership_and_its_invitations_are_revoked(client, olivia, wave, remi):
    used, _url = invite_referent(wave)
    used.used_at = timezone.now()
    used.save()
    _unused, unused_url = invite_referent(wave, email="REMI@alpha.example")  # sent twice
    membership = Membership.objects.get(user=remi)
    url = reverse(
        "backoffice:people_membership_end", kwargs={"year": 2026, "membership_id": membership.pk}
    )
    asked = html.unescape(client.post(url).content.decode())
    assert "Mettre fin à l'accès de remi@alpha.example à Office Alpha\u202f?" in asked
    assert client.post(url, {"confirm": "1"}).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert AccessLink.objects.filter(kind="referent", revoked_at__isnull=True).count() == 0
    logged = AuditEntry.objects.get(action=AuditEntry.Action.MEMBERSHIP_END)
    assert (logged.user, logged.target) == (olivia, f"ALPHA user {remi.pk}")
    page = client.get(people_url(wave) + "?q=ALPHA").content.decode()
    assert "terminé le" in page
    # the forgotten second invitation cannot give the access back
    client.logout()
    assert client.post(unused_url).status_code == 404
    membership.refresh_from_db()
    assert membership.ended_at is not None


def test_a_new_invitation_gives_an_ended_access_back(client, wave, remi):
    membership_end(membership=Membership.objects.get(user=remi))
    _link, url = invite_referent(wave)
    client.force_login(remi)
    assert client.post(url).status_code == 302
    assert Membership.objects.current().filter(user=remi, organisation=alpha()).exists()


def test_ending_twice_changes_nothing(wave, remi):
    membership = Membership.objects.get(user=remi)
    assert membership_end(membership=membership) is True
    first = Membership.objects.get(pk=membership.pk).ended_at
    assert membership_end(membership=membership) is False
    assert Membership.objects.get(pk=membership.pk).ended_at == first


# ---- the operator's screen -------------------------------------------------------------------
def test_the_people_screen_shows_each_link_with_its_status(
    client_en, wave, alice, bob, chloe, remi
):
    operator = get_user_model().objects.create_user(
        "op@x.example", password="x" * 12, is_staff=True
    )
    client_en.force_login(operator)
    alice_link = AccessLink.objects.get(email="alice@alpha.example")
    Respondent.objects.create(
        wave=wave, organisation=alpha(), link=alice_link, role="numerique"
    )  # Alice is answering
    bob_link = AccessLink.objects.get(email="bob@alpha.example")
    Respondent.objects.create(
        wave=wave,
        organisation=alpha(),
        link=bob_link,
        role="direction",
        submitted_at=timezone.now(),
    )
    revoked, _t = link_create(
        wave=wave,
        organisation=alpha(),
        kind="respondent",
        role="clientele",
        email="x@alpha.example",
    )
    link_revoke(link=revoked)
    expired, _t = link_create(
        wave=wave,
        organisation=alpha(),
        kind="respondent",
        role="clientele",
        email="y@alpha.example",
    )
    AccessLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    invitation, _url = invite_referent(wave, email="sofia@alpha.example")
    page = client_en.get(people_url(wave) + "?q=ALPHA").content.decode()
    statuses = {
        alice_link.pk: ("answering", "answering"),
        bob_link.pk: ("answers_sent", "answers sent"),
        revoked.pk: ("revoked", "revoked"),
        expired.pk: ("expired", "expired"),
        invitation.pk: ("sent", "sent, not used yet"),
    }
    for link_id, (code, label) in statuses.items():
        row = page.split(f'data-link="{link_id}"', 1)[1].split("</tr>", 1)[0]
        assert f'data-status="{code}"' in row and label in row, row
    assert "Revoke the link" in page and "End the access" in page
    assert REMI in page and "current" in page
    assert "chloe@beta.example" not in page  # another organisation, not searched
    everyone = client_en.get(people_url(wave)).content.decode()
    assert "chloe@beta.example" in everyone and "Coop Gamma" in everyone


def test_the_wave_page_leads_to_the_people_screen(client, olivia, wave):
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert people_url(wave) in page


def test_the_people_screen_and_its_actions_are_for_operators_only(client, wave, remi, alice):
    link = AccessLink.objects.get(email="alice@alpha.example")
    urls = [
        people_url(wave),
        reverse("backoffice:people_link_revoke", kwargs={"year": 2026, "link_id": link.pk}),
        reverse(
            "backoffice:people_membership_end",
            kwargs={"year": 2026, "membership_id": Membership.objects.get(user=remi).pk},
        ),
    ]
    for url in urls:
        anonymous = client.post(url, {"confirm": "1"})
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.force_login(remi)  # a referent, not an operator
    for url in urls:
        assert client.post(url, {"confirm": "1"}).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert Membership.objects.current().filter(user=remi).exists()


def test_a_link_of_another_wave_is_not_found(client, olivia, wave, alice):
    link = AccessLink.objects.get(email="alice@alpha.example")
    url = reverse("backoffice:people_link_revoke", kwargs={"year": 2031, "link_id": link.pk})
    assert client.post(url, {"confirm": "1"}).status_code == 404


@settings(max_examples=60, deadline=None)
@given(back=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_after_an_action_the_operator_only_ever_goes_back_to_the_people_screen(back):
    wave = Wave(year=2026)
    request = RequestFactory().post("/", {"back": back})
    target = _back(request, wave, "ALPHA")
    assert target.startswith("/operateur/vague/2026/personnes/")


def test_the_people_screen_costs_the_same_queries_for_ten_times_more_people(client, olivia, wave):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_people(n: int) -> None:
        for i in range(n):
            link_create(
                wave=wave,
                organisation=alpha(),
                kind="respondent",
                role="direction",
                email=f"p{AccessLink.objects.count()}-{i}@alpha.example",
            )

    add_people(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(people_url(wave)).status_code == 200
    add_people(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(people_url(wave)).status_code == 200
    assert len(many) == len(few)
