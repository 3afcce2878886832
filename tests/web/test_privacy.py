"""Privacy by design (docs/privacy.md): answers under a random pseudonym, e-mail addresses
kept apart and erased after the wave, export and erasure of one person's data.

Personas (tests/web/conftest.py): Olivia the operator; Alice (IT lead) and Bob (general
manager) answer for Office Alpha, Chloé for Habitat Beta.
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.audit.models import AuditEntry
from barometre.web.campaigns.mailing import emails_queue
from barometre.web.campaigns.models import AccessLink, Email, Wave
from barometre.web.campaigns.selectors import wave_responses
from barometre.web.campaigns.services import LinkError, link_create, link_for_token
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Answer, AnswerChange, Respondent, new_pseudonym
from barometre.web.responses.privacy import emails_retention
from tests.web.conftest import wave_action

pytestmark = pytest.mark.django_db

PSEUDONYM = re.compile(r"R-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{10}")
ALICE = "alice@alpha.example"
#: Something only Alice wrote, looked for in every table after her erasure.
ALICE_WORDS = "Notre intranet date de 2009 (Alice)"


def autosave(client, token, field, value, version, session="alice-phone"):
    response = client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": field, "value": value, "version": version, "session": session},
    )
    assert response.status_code == 200, response.content
    return response


def alice_answers(client, alice) -> Respondent:
    autosave(client, alice, "a_single", "y", 0)
    autosave(client, alice, "a_single", "z", 1)
    autosave(client, alice, "ctx_comment", ALICE_WORDS, 0)
    return Respondent.objects.get(link__email=ALICE)


# ---- pseudonymous storage -------------------------------------------------------------------


def test_answers_tables_hold_no_email_address(client, alice, bob):
    alice_answers(client, alice)
    autosave(client, bob, "a_scale", "3", 0, session="bob-laptop")
    for model in (Respondent, Answer, AnswerChange):
        names = [f.name for f in model._meta.concrete_fields]
        assert not [n for n in names if "mail" in n], model
        for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]):
            text = " ".join(str(value) for value in row)
            assert "@" not in text, (model, row)
    # the address is the link's only, in a column of its own
    assert set(AccessLink.objects.values_list("email", flat=True)) == {ALICE, "bob@alpha.example"}


def test_the_responses_table_names_respondents_by_a_random_pseudonym(client, alice, bob, wave):
    alice_person = alice_answers(client, alice)
    autosave(client, bob, "a_scale", "3", 0, session="bob-laptop")
    bob_person = Respondent.objects.get(link__email="bob@alpha.example")
    table = wave_responses(wave=wave)
    ids = set(table["respondent_id"])
    assert ids == {alice_person.pseudonym, bob_person.pseudonym}
    for pseudonym in ids:
        assert PSEUDONYM.fullmatch(pseudonym), pseudonym
    # drawn, not made of the organisation or the row number (they were "ALPHA-R00001")
    assert alice_person.pseudonym != bob_person.pseudonym
    assert not any("ALPHA" in p or p == f"R{alice_person.pk}" for p in ids)
    # the answers are those given, under the pseudonym
    alice_rows = table[table["respondent_id"] == alice_person.pseudonym]
    assert dict(zip(alice_rows["item_id"], alice_rows["answer"], strict=True)) == {
        "a_single": "z",
        "ctx_comment": ALICE_WORDS,
    }


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_pseudonyms_have_the_safe_shape_and_do_not_repeat(seed):
    # the shape the responses boundary accepts (letters, digits, "-"), and no two alike
    drawn = [new_pseudonym() for _ in range(200)]
    assert all(PSEUDONYM.fullmatch(p) for p in drawn)
    assert len(set(drawn)) == len(drawn)


# ---- export ---------------------------------------------------------------------------------


def find(client, who):
    return client.post(reverse("backoffice:privacy"), {"who": who})


def test_the_export_holds_everything_about_the_person(client, olivia, alice, bob, wave):
    person = alice_answers(client, alice)
    autosave(client, bob, "a_scale", "3", 0, session="bob-laptop")
    emails_queue(links=[person.link], kind=Email.Kind.INVITATION, base_url="http://x")
    page = find(client, "Alice@Alpha.example")  # any case
    assert page.status_code == 200
    assert person.pseudonym in page.content.decode()

    response = client.post(reverse("backoffice:privacy_export"), {"who": "Alice@Alpha.example"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        "attachment" in response["Content-Disposition"]
        and "@" not in (response["Content-Disposition"])
    )
    data = json.loads(response.content)
    assert (data["format"], data["version"], data["looked_up_by"]) == (
        "barometre.personal-data",
        1,
        "email",
    )
    [link] = data["links"]
    assert (link["email"], link["wave_year"], link["organisation_id"], link["role"]) == (
        ALICE,
        2026,
        "ALPHA",
        "numerique",
    )
    assert link["created_at"] and link["expires_at"] and link["used_at"]
    assert [(e["kind"], e["status"]) for e in link["emails_sent"]] == [("invitation", "queued")]
    respondent = link["respondent"]
    assert respondent["pseudonym"] == person.pseudonym
    assert {(a["field_id"], a["value"], a["version"]) for a in respondent["answers"]} == {
        ("a_single", "z", 2),
        ("ctx_comment", ALICE_WORDS, 1),
    }
    # the full log: both values of a_single, in the order given, with their tab
    assert [
        (c["field_id"], c["value"], c["version"], c["session"]) for c in respondent["changes"]
    ] == [
        ("a_single", "y", 1, "alice-phone"),
        ("a_single", "z", 2, "alice-phone"),
        ("ctx_comment", ALICE_WORDS, 1, "alice-phone"),
    ]
    # nothing of Bob
    assert "bob" not in response.content.decode().lower()
    assert data["accounts"] == []
    # logged, by pseudonym, never by address
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESPONDENT_EXPORT)
    assert (entry.user, entry.wave, entry.target, entry.count) == (
        olivia,
        wave,
        person.pseudonym,
        1,
    )


def test_a_person_is_found_by_pseudonym_too_and_an_unknown_one_is_said(client, olivia, alice):
    person = alice_answers(client, alice)
    by_pseudonym = client.post(
        reverse("backoffice:privacy_export"), {"who": person.pseudonym.lower()}
    )
    data = json.loads(by_pseudonym.content)
    assert data["looked_up_by"] == "pseudonym"
    assert data["links"][0]["email"] == ALICE
    unknown = find(client, "R-2222222222")
    assert "Rien n'est conservé sous «\u202fR-2222222222\u202f»." in html.unescape(
        unknown.content.decode()
    )
    nonsense = find(client, "'; DROP TABLE")
    assert nonsense.status_code == 200 and "data-not-found" in nonsense.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RESPONDENT_EXPORT).count() == 1
    # a lookup ties the address to its pseudonym: it is logged (unknown ones are not)
    find(client, ALICE)
    looked_up = AuditEntry.objects.get(action=AuditEntry.Action.RESPONDENT_LOOKUP)
    assert looked_up.target == person.pseudonym and looked_up.user == olivia


def test_only_staff_reach_the_personal_data_screens(client, alice):
    for name in ("privacy", "privacy_export", "privacy_erase", "audit"):
        response = client.post(reverse(f"backoffice:{name}"), {"who": ALICE})
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name
    from django.contrib.auth import get_user_model

    referent = get_user_model().objects.create_user("rita@alpha.example", password="x" * 12)
    client.force_login(referent)
    for name in ("privacy", "privacy_export", "privacy_erase", "audit"):
        assert client.post(reverse(f"backoffice:{name}"), {"who": ALICE}).status_code == 403
    assert not AuditEntry.objects.exists()


def test_export_and_erasure_refuse_a_get(client, olivia, alice):
    for name in ("privacy_export", "privacy_erase"):
        assert client.get(reverse(f"backoffice:{name}")).status_code == 405


# ---- erasure --------------------------------------------------------------------------------


def everything_stored() -> dict[str, list[str]]:
    """Every row of every table of the project (and Django's), as text, by model."""
    found = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        found[model._meta.label] = [
            " ".join(str(value) for value in row) for row in model.objects.values_list(*fields)
        ]
    return found


def test_erasure_leaves_nothing_of_the_person_in_any_table(client, olivia, alice, bob, wave):
    person = alice_answers(client, alice)
    emails_queue(links=[person.link], kind=Email.Kind.INVITATION, base_url="http://x")
    autosave(client, bob, "a_scale", "3", 0, session="bob-laptop")
    link_pk, respondent_pk = person.link.pk, person.pk

    asked = client.post(reverse("backoffice:privacy_erase"), {"who": ALICE})
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    assert Respondent.objects.filter(pk=respondent_pk).exists()  # asking erased nothing

    done = client.post(
        reverse("backoffice:privacy_erase"), {"who": ALICE, "confirm": "1"}, follow=True
    )
    assert done.status_code == 200
    assert "Effacé" in done.content.decode()
    for label, rows in everything_stored().items():
        for row in rows:
            assert ALICE not in row.lower(), (label, row)
            assert ALICE_WORDS not in row, (label, row)
            assert "alice-phone" not in row, (label, row)
            if label != "audit.AuditEntry":  # the log names the pseudonym erased, only
                assert person.pseudonym not in row, (label, row)
    assert not AccessLink.objects.filter(pk=link_pk).exists()
    assert not Email.objects.filter(link_id=link_pk).exists()
    for model in (Answer, AnswerChange):
        assert not model.objects.filter(respondent_id=respondent_pk).exists()
    # Bob is untouched
    assert Answer.objects.filter(respondent__link__email="bob@alpha.example").count() == 1
    assert AnswerChange.objects.filter(session="bob-laptop").count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESPONDENT_ERASE)
    assert (entry.user, entry.wave, entry.target) == (olivia, wave, person.pseudonym)
    # the link no longer opens anything
    assert (
        "R-" not in client.get(reverse("responses:start", kwargs={"token": alice})).content.decode()
    )
    with pytest.raises(LinkError):
        link_for_token(alice, "respondent")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(load_questionnaire("hlm-2026"), organisations=30, seed=5)


def test_erasure_after_computation_flags_the_results_until_computed_again(
    client, olivia, sector, computed_wave, committed
):
    wave = computed_wave(sector)
    someone = Respondent.objects.filter(wave=wave).select_related("link").first()
    client.post(reverse("backoffice:privacy_erase"), {"who": someone.pseudonym, "confirm": "1"})
    wave.refresh_from_db()
    assert wave.erased_since_computation == 1
    page = client.get(reverse("backoffice:wave", kwargs={"year": wave.year})).content.decode()
    assert "data-erased-since-computation" in page
    with committed():
        assert wave_action(client, "compute").status_code == 302
    wave.refresh_from_db()
    assert wave.status == Wave.Status.COMPUTED and wave.erased_since_computation == 0
    assert someone.pseudonym not in set(wave_responses(wave=wave)["respondent_id"])


# ---- retention ------------------------------------------------------------------------------


def test_closing_dates_the_wave_and_reopening_clears_it(client, olivia, wave):
    before = timezone.now()
    wave_action(client, "close")
    wave.refresh_from_db()
    assert wave.closed_at is not None and wave.closed_at >= before
    wave_action(client, "reopen")
    wave.refresh_from_db()
    assert wave.closed_at is None


def closed_wave(year: int, closed_at) -> tuple[Wave, AccessLink]:
    """A wave closed at `closed_at`, with one respondent who answered."""
    wave = Wave.objects.create(
        year=year,
        title=f"Baromètre {year}",
        questionnaire_yaml="",
        questionnaire_id="tiny",
        questionnaire_version="1",
        methodology_version="1",
        status=Wave.Status.CLOSED,
        closed_at=closed_at,
    )
    organisation, _created = Organisation.objects.get_or_create(
        external_id="ALPHA", defaults={"name": "Office Alpha"}
    )
    wave.frame.create(
        organisation=organisation,
        organisation_type="OPH",
        dwellings=100,
        department="59",
        region="32",
        size_class="<1500",
    )
    link, _token = link_create(
        wave=wave,
        organisation=organisation,
        kind=AccessLink.Kind.RESPONDENT,
        role="numerique",
        email=f"someone{year}@alpha.example",
    )
    person = Respondent.objects.create(
        wave=wave, organisation=organisation, link=link, role="numerique"
    )
    Answer.objects.create(respondent=person, field_id="a_scale", value="3")
    Email.objects.create(link=link, kind="invitation", base_url="x", error="550 no such user")
    return wave, link


def test_retention_erases_addresses_of_waves_closed_long_enough_ago_exactly(db):
    now = timezone.now()
    _old, old_link = closed_wave(2024, now - timedelta(days=90))  # exactly 90 days
    _recent, recent_link = closed_wave(2025, now - timedelta(days=90) + timedelta(seconds=1))
    done = emails_retention(now=now, days=90)
    assert [(w.year, w.addresses) for w in done] == [(2024, 1)]
    old_link.refresh_from_db()
    recent_link.refresh_from_db()
    assert (old_link.email, old_link.email_erased_at) == ("", now)
    assert recent_link.email == "someone2025@alpha.example"
    assert Email.objects.get(link=old_link).error == ""  # a refusal may quote the address
    # the answers stay, under their pseudonym
    assert Answer.objects.filter(respondent__link=old_link).count() == 1
    # run again: nothing more; later, the other wave's turn comes
    assert emails_retention(now=now, days=90) == []
    assert [w.year for w in emails_retention(now=now + timedelta(days=1), days=90)] == [2025]


def test_retention_never_touches_an_open_wave(client, alice, wave):
    alice_answers(client, alice)
    assert emails_retention(now=timezone.now() + timedelta(days=3650), days=0) == []
    assert AccessLink.objects.get().email == ALICE


def test_the_retention_command_says_what_it_did_is_idempotent_and_has_a_dry_run(
    db, capsys, settings
):
    settings.BAROMETRE_EMAIL_RETENTION_DAYS = 30
    now = timezone.now()
    wave, link = closed_wave(2024, now - timedelta(days=31))
    closed_wave(2025, now - timedelta(days=29))

    call_command("erase_expired_emails", "--dry-run")
    out = capsys.readouterr().out
    assert "Wave 2024" in out and "would erase 1 e-mail address." in out and "2025" not in out
    link.refresh_from_db()
    assert link.email == "someone2024@alpha.example"
    assert not AuditEntry.objects.exists()

    call_command("erase_expired_emails")
    assert "erased 1 e-mail address." in capsys.readouterr().out
    link.refresh_from_db()
    assert link.email == "" and link.email_erased_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.wave, entry.count, entry.user) == (
        AuditEntry.Action.EMAILS_RETENTION,
        wave,
        1,
        None,
    )
    assert entry.user_label == "command erase_expired_emails"

    call_command("erase_expired_emails")
    assert "Nothing to erase" in capsys.readouterr().out
    assert AuditEntry.objects.count() == 1

    call_command("erase_expired_emails", "--days", "0")  # the 2025 wave too, on demand
    assert "Wave 2025" in capsys.readouterr().out


def test_a_link_whose_address_was_erased_sends_nothing_and_makes_no_account(db):
    wave, link = closed_wave(2024, timezone.now() - timedelta(days=400))
    referent, token = link_create(
        wave=wave,
        organisation=link.organisation,
        kind=AccessLink.Kind.REFERENT,
        email="rita@alpha.example",
    )
    emails_retention(days=90)
    with pytest.raises(LinkError):
        link_for_token(token, AccessLink.Kind.REFERENT)
    from barometre.web.campaigns.mailing import LinkGone, message_for

    referent.refresh_from_db()
    with pytest.raises(LinkGone):
        message_for(Email.objects.create(link=referent, kind="reminder", base_url="x"))


def test_the_retention_command_refuses_a_negative_period(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days must be 0 or more, not -3") as refused:
        call_command("erase_expired_emails", "--days", "-3")
    assert refused.value.returncode == 2


def test_an_account_without_any_link_is_found_and_exported(client, olivia):
    # a referent made by hand (or whose invitation was erased) has an account and no link:
    # the account is personal data all the same
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("Rita@Alpha.example", email="rita@alpha.example")
    page = html.unescape(find(client, "rita@alpha.example").content.decode())
    assert "Un compte utilisateur existe pour cette adresse." in page
    assert "data-not-found" not in page
    data = json.loads(
        client.post(reverse("backoffice:privacy_export"), {"who": "RITA@alpha.example"}).content
    )
    assert data["links"] == [] and len(data["accounts"]) == 1


def test_erasure_deletes_a_referent_s_account_and_keeps_an_operator_s(client, olivia, wave):
    # a referent's account is personal data like the rest: it goes with its memberships and
    # the failed sign-ins kept for throttling; an operator's account is not closed from here
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model

    from barometre.web.organisations.models import Membership, Organisation

    rita = get_user_model().objects.create_user("rita@alpha.example", email="rita@alpha.example")
    Membership.objects.create(user=rita, organisation=Organisation.objects.get(external_id="ALPHA"))
    Client(HTTP_ACCEPT_LANGUAGE="fr").post(
        reverse("login"), {"username": "rita@alpha.example", "password": "wrong-password-1"}
    )
    assert AccessAttempt.objects.filter(username="rita@alpha.example").exists()
    asked = html.unescape(
        client.post(
            reverse("backoffice:privacy_erase"), {"who": "rita@alpha.example"}
        ).content.decode()
    )
    assert "Le compte utilisateur de cette adresse est supprimé" in asked
    client.post(reverse("backoffice:privacy_erase"), {"who": "RITA@alpha.example", "confirm": "1"})
    assert not get_user_model().objects.filter(pk=rita.pk).exists()
    assert not Membership.objects.filter(user_id=rita.pk).exists()
    assert not AccessAttempt.objects.filter(username__iexact="rita@alpha.example").exists()
    assert (
        AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_ERASE).target == f"user {rita.pk}"
    )

    asked = html.unescape(
        client.post(reverse("backoffice:privacy_erase"), {"who": olivia.username}).content.decode()
    )
    assert "Un compte d'opérateur existe pour cette adresse" in asked
    client.post(reverse("backoffice:privacy_erase"), {"who": olivia.username, "confirm": "1"})
    assert get_user_model().objects.filter(pk=olivia.pk).exists()
