"""The operator's files as Excel writes them, large frames made into waves by the worker, and
the e-mails of a wave: statuses, sending again, reminders; the referent sees each colleague's
invitation e-mail.

Olivia is the operator; Office Alpha, Habitat Beta and Coop Gamma are the frame of the wave
of tests/web/conftest.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barometre.web.campaigns.models import Email, Wave
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

#: A frame as French Excel saves "CSV (séparateur : point-virgule)": Windows-1252, CRLF.
EXCEL_FRAME = (
    "organisation_id;name;organisation_type;dwellings;department\r\n"
    "ALPHA;Office Alpha Habitat;OPH;12000;59\r\n"
    "ETOILE;Étoile Logement;ESH;3000;2A\r\n"
).encode("cp1252")


def new_wave(client, frame: bytes, year: int = 2027, name: str = "perimetre.csv"):
    return client.post(
        reverse("backoffice:waves"),
        {"year": year, "title": f"Baromètre {year}", "frame": SimpleUploadedFile(name, frame)},
        follow=True,
    )


def test_a_frame_saved_by_french_excel_makes_a_wave_and_says_how_it_was_read(client, olivia):
    page = new_wave(client, EXCEL_FRAME).content.decode()
    assert "perimetre.csv\u202f: lu en Windows-1252, séparateur\u202f: point-virgule." in page
    assert "Vague 2027 créée." in page
    names = set(Wave.objects.get(year=2027).frame.values_list("organisation__name", flat=True))
    assert names == {"Office Alpha Habitat", "Étoile Logement"}


def test_a_french_excel_frame_with_the_old_family_column_is_told_the_new_name(
    client, client_en, olivia
):
    old = EXCEL_FRAME.replace(b"organisation_type", b"family")
    page = new_wave(client, old).content.decode()
    assert "perimetre.csv:1" in page
    assert (
        "la colonne &#x27;family&#x27; s&#x27;appelle désormais &#x27;organisation_type&#x27;"
        in page
    )
    assert not Wave.objects.filter(year=2027).exists()
    client_en.force_login(olivia)
    english = new_wave(client_en, old).content.decode()
    assert "the column &#x27;family&#x27; is now called &#x27;organisation_type&#x27;" in english


def test_a_file_that_is_not_text_says_how_to_save_it(client, olivia):
    page = new_wave(client, "organisation_id,name\n".encode("utf-16")).content.decode()
    assert "perimetre.csv:1" in page and "CSV UTF-8" in page
    assert not Wave.objects.filter(year=2027).exists()


def test_a_year_that_has_a_wave_is_refused(client, olivia, wave):
    page = new_wave(client, EXCEL_FRAME, year=2026).content.decode()
    assert "Une vague de l’année 2026 existe déjà." in page or "2026 existe déjà" in page


def test_a_large_frame_is_made_into_a_wave_by_the_worker(client, olivia, committed, monkeypatch):
    monkeypatch.setattr("barometre.web.backoffice.views.INLINE_FRAME_BYTES", 10)
    with committed():
        page = new_wave(client, EXCEL_FRAME).content.decode()
    assert "la vague est en cours de création" in page
    job = Job.objects.get(kind="wave_create")
    assert (job.status, job.wave.year) == ("done", 2027)
    assert Wave.objects.get(year=2027).frame.count() == 2


def test_a_large_frame_with_errors_lists_them_with_their_lines(
    client, olivia, committed, monkeypatch
):
    monkeypatch.setattr("barometre.web.backoffice.views.INLINE_FRAME_BYTES", 10)
    bad = b"organisation_id;name;organisation_type;dwellings;department\r\nX1;Un;HLM;12;59\r\n"
    with committed():
        new_wave(client, bad)
    page = client.get(reverse("backoffice:waves")).content.decode()
    assert "La vague 2027 n’a pas pu être créée" in page or "n'a pas pu être créée" in page
    assert "perimetre.csv:2" in page and "HLM" in page
    assert not Wave.objects.filter(year=2027).exists()


def test_the_operator_sees_each_emails_outcome_and_sends_again(
    client, olivia, wave, committed, settings
):
    settings.EMAIL_BACKEND = "tests.web.mail_servers.RefusingBackend"
    invitations = "organisation_id,email\nALPHA,remi@alpha.example\nBETA,sofia@bounce.example\n"
    with committed():
        client.post(
            reverse("backoffice:wave", kwargs={"year": 2026}),
            {"invitations": SimpleUploadedFile("inv.csv", invitations.encode())},
        )
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "1 envoyé" in page and "1 rejeté (adresse refusée)" in page
    assert "sofia@bounce.example" in page and "550" in page
    # An interrupted e-mail can be sent again; a bounced address cannot (it needs a new one).
    Email.objects.filter(link__email="remi@alpha.example").update(status="uncertain")
    mail.outbox.clear()
    with committed():
        client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "resend"}))
    assert [m.to for m in mail.outbox] == [["remi@alpha.example"]]


def test_the_operator_reminds_those_who_have_not_answered(client, olivia, wave, committed):
    invitations = "organisation_id,email\nALPHA,remi@alpha.example\nBETA,sofia@beta.example\n"
    with committed():
        client.post(
            reverse("backoffice:wave", kwargs={"year": 2026}),
            {"invitations": SimpleUploadedFile("inv.csv", invitations.encode())},
        )
    mail.outbox.clear()
    with committed():
        response = client.post(
            reverse("backoffice:action", kwargs={"year": 2026, "action": "remind"}), follow=True
        )
    assert "2 relances en file d&#x27;envoi." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["remi@alpha.example", "sofia@beta.example"]
    client.post(
        reverse("backoffice:action", kwargs={"year": 2026, "action": "remind-every"}),
        {"days": "7"},
    )
    assert Wave.objects.get().remind_every_days == 7
    refused = client.post(
        reverse("backoffice:action", kwargs={"year": 2026, "action": "remind-every"}),
        {"days": "-3"},
        follow=True,
    )
    assert "entre 0 et 60" in refused.content.decode()
    assert Wave.objects.get().remind_every_days == 7


def test_the_referent_sees_the_invitation_email_of_each_colleague(client, wave, committed):
    remi = get_user_model().objects.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=Organisation.objects.get(external_id="ALPHA"))
    client.force_login(remi)
    url = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    with committed():
        client.post(url, {"email": "gardien@alpha.example", "role": "direction"})
    page = client.get(url).content.decode()
    assert "gardien@alpha.example" in page
    assert "<td data-email-status>envoyé" in page
