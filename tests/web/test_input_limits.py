"""Web input within the database's columns (issue 10, finding 10: "on PostgreSQL ... ids over
64 characters, names over 200, e-mails over 254" gave 500s). Each refusal says where (the
line of the uploaded file, the field of the form) and what; nothing is written. SQLite
stores any length, PostgreSQL refuses: `make test-postgres` runs these again there."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer
from tests.helpers import TINY
from tests.web.conftest import FRAME

#: 255 characters, a valid address by Django's validator (which allows 320), one too many for
#: RFC 5321 and the column.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"
assert len(LONG_EMAIL) == 255


def test_an_invitation_file_with_an_overlong_address_names_its_line(client, wave, olivia):
    upload = SimpleUploadedFile(
        "referents.csv",
        f"organisation_id,email\nALPHA,ok@alpha.example\nBETA,{LONG_EMAIL}\n".encode(),
    )
    response = client.post(
        reverse("backoffice:wave", kwargs={"year": 2026}), {"invitations": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "referents.csv:3" in page
    assert (
        # a referent's address becomes the user name of their account: 150 characters
        "l&#x27;adresse électronique compte 255 caractères\u202f: une adresse en a 150 au plus"
        in page
    )
    assert "[email_too_long]" in page
    assert not AccessLink.objects.filter(kind=AccessLink.Kind.REFERENT).exists()  # not even ALPHA


def test_a_colleague_with_an_overlong_address_is_refused_on_the_field(
    client, wave, django_user_model
):
    rita = django_user_model.objects.create_user("rita@alpha.example", password="x" * 12)
    Membership.objects.create(user=rita, organisation=Organisation.objects.get(external_id="ALPHA"))
    client.force_login(rita)
    url = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    response = client.post(url, {"email": LONG_EMAIL, "role": "numerique"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 255)."
    ]
    assert not AccessLink.objects.filter(email=LONG_EMAIL).exists()


def test_a_questionnaire_too_long_for_the_columns_is_refused_with_each_place(client, db, olivia):
    long_role = "d" * 17  # the role columns hold 16
    questionnaire = re.sub(r"\bdirection\b", long_role, TINY.replace("id: tiny", "id: " + "t" * 65))
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2030,
            "title": "Vague",
            "questionnaire": SimpleUploadedFile("q.yaml", questionnaire.encode()),
            "frame": SimpleUploadedFile("frame.csv", FRAME.encode()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "q.yaml: id" in page and "id compte 65 caractères\u202f: 64 au plus" in page
    assert f"q.yaml: roles.{long_role}" in page and "17 caractères\u202f: 16 au plus" in page
    assert "[too_long_to_store]" in page
    assert not Wave.objects.exists()


def test_a_wave_title_over_200_characters_is_refused_on_the_field(client, db, olivia):
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2030,
            "title": "T" * 201,
            "frame": SimpleUploadedFile("frame.csv", FRAME.encode()),
        },
    )
    assert response.status_code == 200
    assert "au plus 200 caractères" in response.context["form"].errors["title"][0]
    assert not Wave.objects.exists()


def test_an_autosave_version_in_other_digits_is_a_json_refusal(client, alice):
    for version in ("²", "١", "9" * 5000):
        response = client.post(
            reverse("responses:save", kwargs={"token": alice}),
            {"field": "a_scale", "value": "1", "version": version},
        )
        assert response.status_code == 400, version
        assert response.json() == {
            "ok": False,
            "error": "Cette réponse ne peut pas être enregistrée.",
        }
    assert not Answer.objects.exists()


def test_an_overlong_sign_in_name_is_the_sign_in_page_again(client, db):
    response = client.post(reverse("login"), {"username": "u" * 300 + "@x.fr", "password": "p"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_referent_address_longer_than_a_user_name_is_refused_with_its_line(client, wave, olivia):
    # 151 characters: a valid address that could never become the referent's account
    address = "r" * 64 + "@" + "a" * 60 + "." + "b" * 13 + ".example.org"
    assert len(address) == 151
    upload = SimpleUploadedFile(
        "referents.csv", f"organisation_id,email\nALPHA,{address}\n".encode()
    )
    page = client.post(
        reverse("backoffice:wave", kwargs={"year": 2026}), {"invitations": upload}
    ).content.decode()
    assert "referents.csv:2" in page and "151" in page and "[email_too_long]" in page
    assert not AccessLink.objects.filter(kind=AccessLink.Kind.REFERENT).exists()


def test_a_nul_byte_in_an_address_bar_or_a_lookup_is_no_crash(client, wave, olivia):
    # PostgreSQL refuses a NUL in a text value: the query must never be made
    assert client.get("/organisme/AL%00PHA/2026/").status_code == 404
    assert client.get("/organisme/..%2F..%2Fx/2026/").status_code == 404
    found = client.post(reverse("backoffice:privacy"), {"who": "a\x00@alpha.example"})
    assert found.status_code == 200 and "data-not-found" in found.content.decode()
