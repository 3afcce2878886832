"""The audit log (docs/privacy.md, "Audit log"): every operator action is written, by whom,
on which wave, when; entries are only ever added; operators read it, nobody else.

Olivia is the operator (tests/web/conftest.py); Oscar is a second operator.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.audit.models import AuditEntry, AuditEntryChanged
from barometre.web.audit.services import record
from barometre.web.campaigns.models import Wave
from tests.helpers import TINY
from tests.web.conftest import FRAME, wave_action

pytestmark = pytest.mark.django_db
A = AuditEntry.Action


def actions(wave: Wave | None = None) -> list[str]:
    entries = AuditEntry.objects.order_by("at", "pk")
    if wave is not None:
        entries = entries.filter(wave=wave)
    return [entry.action for entry in entries]


def test_each_action_of_a_wave_s_life_is_written_with_who_and_when(client, olivia, committed):
    started = timezone.now()
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2026,
            "title": "Baromètre 2026",
            "questionnaire": SimpleUploadedFile("tiny.yaml", TINY.encode()),
            "frame": SimpleUploadedFile("frame.csv", FRAME.encode()),
        },
    )
    assert response.status_code == 302
    wave = Wave.objects.get(year=2026)
    created = AuditEntry.objects.get()
    assert (created.action, created.user, created.user_label, created.wave, created.target) == (
        A.WAVE_CREATE,
        olivia,
        "olivia@operateur.example",
        wave,
        "frame.csv",
    )
    assert created.at >= started and created.wave_year == 2026

    wave_action(client, "open")
    with committed():
        client.post(
            reverse("backoffice:wave", kwargs={"year": 2026}),
            {
                "invitations": SimpleUploadedFile(
                    "referents.csv",
                    b"organisation_id,email\nALPHA,rita@alpha.example\nBETA,ben@beta.example\n",
                )
            },
        )
    client.post(
        reverse("backoffice:action", kwargs={"year": 2026, "action": "remind-every"}),
        {"days": "7"},
    )
    wave_action(client, "remind")
    wave_action(client, "resend")
    # the confirmation page alone does nothing, and writes nothing
    client.get(reverse("backoffice:action", kwargs={"year": 2026, "action": "close"}))
    assert AuditEntry.objects.filter(action=A.WAVE_CLOSE).count() == 0
    wave_action(client, "close")
    wave_action(client, "reopen")
    wave_action(client, "close")
    wave_action(client, "compute")  # the computation is started (it may fail later)

    assert actions(wave) == [
        A.WAVE_CREATE,
        A.WAVE_OPEN,
        A.REFERENTS_INVITE,
        A.REMINDERS_SCHEDULE,
        A.REMINDERS_SEND,
        A.EMAILS_RESEND,
        A.WAVE_CLOSE,
        A.WAVE_REOPEN,
        A.WAVE_CLOSE,
        A.WAVE_COMPUTE,
    ]
    invited = AuditEntry.objects.get(action=A.REFERENTS_INVITE)
    assert (invited.target, invited.count) == ("referents.csv", 2)
    assert AuditEntry.objects.get(action=A.REMINDERS_SCHEDULE).detail == "every 7 days"
    # the addresses invited are not in the log
    for entry in AuditEntry.objects.all():
        assert "@alpha" not in f"{entry.target} {entry.detail}" and entry.user == olivia


def test_a_wave_made_by_the_worker_is_written_when_asked(client, olivia, committed, monkeypatch):
    monkeypatch.setattr("barometre.web.backoffice.views.INLINE_FRAME_BYTES", 10)
    with committed():
        client.post(
            reverse("backoffice:waves"),
            {
                "year": 2027,
                "title": "Baromètre 2027",
                "questionnaire": SimpleUploadedFile("tiny.yaml", TINY.encode()),
                "frame": SimpleUploadedFile("big-frame.csv", FRAME.encode()),
            },
        )
    assert Wave.objects.filter(year=2027).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.target, entry.detail) == (
        A.WAVE_CREATE,
        olivia,
        "big-frame.csv",
        "year 2027, in the background",
    )


def test_a_refused_action_writes_nothing(client, olivia, wave):
    wave_action(client, "publish")  # an open wave cannot be published
    wave_action(client, "compute")  # nor computed
    client.post(
        reverse("backoffice:action", kwargs={"year": 2026, "action": "remind-every"}),
        {"days": "600"},
    )
    assert actions() == []
    wave.refresh_from_db()
    assert wave.remind_every_days == 0


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(load_questionnaire("hlm-2026"), organisations=30, seed=5)


def test_publishing_and_the_reports_are_written(client, olivia, sector, computed_wave, committed):
    wave = computed_wave(sector, then=("reports", "publish"))
    assert actions(wave)[-4:] == [A.WAVE_CLOSE, A.WAVE_COMPUTE, A.REPORTS_MAKE, A.WAVE_PUBLISH]
    response = client.get(reverse("backoffice:reports_archive", kwargs={"year": wave.year}))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    download = AuditEntry.objects.get(action=A.REPORTS_DOWNLOAD)
    assert download.wave == wave and download.target.endswith(".zip")


def test_entries_are_never_changed_nor_deleted(olivia, wave):
    entry = record(action=A.WAVE_OPEN, user=olivia, wave=wave)
    entry.detail = "rewritten"
    with pytest.raises(AuditEntryChanged):
        entry.save()
    with pytest.raises(AuditEntryChanged):
        entry.delete()
    with pytest.raises(AuditEntryChanged):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(AuditEntryChanged):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().detail == ""


def test_who_acted_is_kept_when_their_account_is_deleted(wave):
    oscar = get_user_model().objects.create_user(
        "oscar@operateur.example", password="x" * 12, is_staff=True
    )
    record(action=A.WAVE_CLOSE, user=oscar, wave=wave)
    oscar.delete()
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.user_label) == (None, "oscar@operateur.example")


def test_a_long_list_of_pseudonyms_is_cut_with_its_count(olivia, wave):
    names = [f"R-{i:010d}" for i in range(100)]
    entry = record(action=A.RESPONDENT_ERASE, user=olivia, wave=wave, target=names)
    assert len(entry.target) <= 500
    kept = entry.target.split(" (+")[0].split(", ")
    assert entry.target.endswith(f"(+{100 - len(kept)})") and kept == names[: len(kept)]


def test_the_log_screens_list_a_wave_s_entries_and_all_of_them(client, olivia, wave):
    other = Wave.objects.create(
        year=2025,
        title="Baromètre 2025",
        questionnaire_yaml="",
        questionnaire_id="tiny",
        questionnaire_version="1",
        methodology_version="1",
    )
    record(action=A.WAVE_OPEN, user=olivia, wave=wave)
    record(action=A.WAVE_CLOSE, user=olivia, wave=other)
    record(action=A.EMAILS_RETENTION, command="erase_expired_emails", wave=other, count=3)

    page = client.get(reverse("backoffice:wave_audit", kwargs={"year": 2026})).content.decode()
    assert 'data-action="wave_open"' in page and "vague ouverte" in page
    assert 'data-action="wave_close"' not in page
    everything = client.get(reverse("backoffice:audit")).content.decode()
    for action in ("wave_open", "wave_close", "emails_retention"):
        assert f'data-action="{action}"' in everything
    assert "command erase_expired_emails" in everything
    english = client.get(reverse("backoffice:audit"), HTTP_ACCEPT_LANGUAGE="en")
    assert "wave opened" in english.content.decode()
    # read only: the screens change nothing
    assert AuditEntry.objects.count() == 3
    # the wave's page leads to its log
    wave_page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert reverse("backoffice:wave_audit", kwargs={"year": 2026}) in wave_page


def test_only_operators_read_the_log(client, wave):
    for url in (reverse("backoffice:audit"), reverse("backoffice:wave_audit", args=[2026])):
        assert client.get(url).status_code == 302
    referent = get_user_model().objects.create_user("rita@alpha.example", password="x" * 12)
    client.force_login(referent)
    for url in (reverse("backoffice:audit"), reverse("backoffice:wave_audit", args=[2026])):
        assert client.get(url).status_code == 403


def test_no_entry_holds_an_ip_address():
    names = {f.name for f in AuditEntry._meta.get_fields()}
    assert not {n for n in names if "ip" in n.split("_") or "address" in n}


def test_an_operator_s_invitation_and_revocation_on_an_organisation_s_page_are_written(
    client, olivia, wave, django_capture_on_commit_callbacks
):
    # the organisation pages let an operator act for a landlord: the log must see it there too
    dashboard = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(dashboard, {"email": "gardien@alpha.example", "role": "numerique"})
    assert invited.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.COLLEAGUE_INVITE)
    link = wave.links.get(email="gardien@alpha.example")
    assert (entry.user, entry.wave, entry.target) == (
        olivia,
        wave,
        f"ALPHA respondent link {link.pk}",
    )
    revoke = reverse(
        "organisations:revoke", kwargs={"external_id": "ALPHA", "year": 2026, "link_id": link.pk}
    )
    assert client.post(revoke, {"confirm": "1"}).status_code == 302
    assert actions(wave)[-1] == "link_revoke"
    # a referent's own invitations and revocations are theirs, not the operators': not logged
    remi = get_user_model().objects.create_user("remi@alpha.example", password="x" * 12)
    from barometre.web.organisations.models import Membership

    Membership.objects.create(user=remi, organisation=link.organisation)
    client.force_login(remi)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(dashboard, {"email": "rh@alpha.example", "role": "numerique"})
    assert AuditEntry.objects.filter(user=remi).count() == 0
