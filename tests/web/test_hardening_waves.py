"""Findings of the hardening issue about waves: a referent cannot block a wave's computation,
and an unpublished wave never shows through the next one.

Personas: Olivia is the operator; Rémi is the referent of an organisation that is not in the
2026 frame (it answered an earlier wave, or was added by another frame).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import ActionRefused, link_create
from barometre.web.organisations.models import Membership, Organisation
from tests.web.conftest import wave_action

pytestmark = pytest.mark.django_db
HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=40, response_rate=0.6, seed=11)


def test_no_link_is_made_for_an_organisation_outside_the_waves_frame(
    client, olivia, sector, answered_wave, committed
):
    wave = answered_wave(sector)
    outsider = Organisation.objects.create(external_id="OUT-0001", name="Office hors champ")
    remi = get_user_model().objects.create_user("remi@hors.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=outsider)

    # the core of the service refuses, whoever calls it
    with pytest.raises(ActionRefused, match="OUT-0001"):
        link_create(
            wave=wave, organisation=outsider, kind="respondent", role="direction", email="a@b.fr"
        )
    # and the referent's invitation form says why, in French
    client.force_login(remi)
    dashboard = reverse("organisations:dashboard", kwargs={"external_id": "OUT-0001", "year": 2026})
    response = client.post(
        dashboard, {"email": "collegue@hors.example", "role": "direction"}, follow=True
    )
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "OUT-0001" in response.content.decode()
    assert not AccessLink.objects.filter(organisation=outsider).exists()

    # so the wave computes
    client.force_login(olivia)
    for action in ("close", "compute"):
        with committed():
            assert wave_action(client, action).status_code == 302
    wave.refresh_from_db()
    assert wave.status == Wave.Status.COMPUTED and wave.scores is not None


def test_an_unpublished_wave_is_never_the_previous_one(client, sector, computed_wave):
    earlier = computed_wave(sector, year=2025)  # computed, never published
    assert earlier.status == Wave.Status.COMPUTED
    later = computed_wave(sector, year=2026, then=("publish",))
    assert later.change is None, "the change since an unpublished wave would disclose it"
    pdf = client.get(reverse("public:sector_pdf", kwargs={"year": 2026}))
    assert pdf.status_code == 200


def test_a_published_wave_is_the_previous_one(client, sector, computed_wave):
    computed_wave(sector, year=2025, then=("publish",))
    later = computed_wave(sector, year=2026)
    assert later.change is not None and later.change.before_year == 2025


def test_an_identifier_that_would_be_a_path_never_enters_a_wave(client, olivia):
    # an id with `/` had no URL (the referent's pages gave a permanent 500), and `../x` made
    # report files outside their folder: the frame refuses both, naming line and column
    frame = (
        "organisation_id,name,organisation_type,dwellings,department\n"
        "SYN/0001,Office a,OPH,1200,75\n../../x,Office b,ESH,900,59\n"
    )
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2026,
            "title": "Baromètre 2026",
            "frame": SimpleUploadedFile("frame.csv", frame.encode()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "frame.csv:2" in page and "frame.csv:3" in page and "organisation_id" in page
    assert not Wave.objects.exists() and not Organisation.objects.exists()
