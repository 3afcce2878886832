"""A referent sees only the waves that are open or later and whose frame holds the
organisation (issue 10, finding 11: "Referents can read draft waves' titles by URL").

The rule is one selector (`organisations.selectors.organisation_waves`), used by every view of
the organisation: its home, dashboard, report in the browser and as PDF, and link revocation.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.selectors import organisation_waves
from tests.helpers import TINY
from tests.web.conftest import FRAME

#: A frame without Alpha.
FRAME_WITHOUT_ALPHA = "\n".join(line for line in FRAME.splitlines() if "ALPHA" not in line) + "\n"


@pytest.fixture
def waves(wave) -> dict[str, Wave]:
    """2026 open (the `wave` fixture), 2027 a draft, 2025 closed but without Alpha."""
    draft = wave_create(
        year=2027, title="Brouillon secret 2027", questionnaire_yaml=TINY, frame_csv=FRAME
    )
    other = wave_create(
        year=2025,
        title="Vague sans Alpha 2025",
        questionnaire_yaml=TINY,
        frame_csv=FRAME_WITHOUT_ALPHA,
    )
    for target in (Wave.Status.OPEN, Wave.Status.CLOSED):
        other = wave_transition(wave=other, target=target)
    return {"open": wave, "draft": draft, "elsewhere": other}


@pytest.fixture
def rita(client, django_user_model, waves):
    """Alpha's referent, signed in."""
    user = django_user_model.objects.create_user("rita@alpha.example", password="x" * 12)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id="ALPHA"))
    client.force_login(user)
    return user


def test_the_selector_gives_the_open_waves_of_the_organisations_frame(waves):
    alpha = Organisation.objects.get(external_id="ALPHA")
    assert [w.year for w in organisation_waves(organisation=alpha)] == [2026]
    # operators see the draft too, never a wave whose frame lacks the organisation
    assert [w.year for w in organisation_waves(organisation=alpha, operator=True)] == [2027, 2026]
    beta = Organisation.objects.get(external_id="BETA")
    assert [w.year for w in organisation_waves(organisation=beta)] == [2026, 2025]


@pytest.mark.parametrize("year", [2027, 2025])
def test_a_referent_gets_404_on_a_draft_wave_or_one_without_the_organisation(
    client, rita, waves, year
):
    for name in ("dashboard", "report_html", "report_pdf"):
        response = client.get(
            reverse(f"organisations:{name}", kwargs={"external_id": "ALPHA", "year": year})
        )
        assert response.status_code == 404, name
        assert "Brouillon secret" not in response.content.decode()
    posted = client.post(
        reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": year}),
        {"email": "colleague@alpha.example", "role": "numerique"},
    )
    assert posted.status_code == 404
    assert not AccessLink.objects.filter(email="colleague@alpha.example").exists()


def test_a_referent_cannot_revoke_through_a_draft_wave(client, rita, waves):
    alpha = Organisation.objects.get(external_id="ALPHA")
    link, _token = link_create(
        wave=waves["draft"],
        organisation=alpha,
        kind=AccessLink.Kind.RESPONDENT,
        role="numerique",
        email="x@alpha.example",
    )
    url = reverse(
        "organisations:revoke", kwargs={"external_id": "ALPHA", "year": 2027, "link_id": link.pk}
    )
    assert client.post(url, {"confirm": "1"}).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_referents_home_lists_only_the_open_wave(client, rita, waves):
    page = client.get(reverse("organisations:home")).content.decode()
    assert "Baromètre 2026" in page
    assert "Brouillon secret" not in page and "Vague sans Alpha" not in page
    opened = client.get(
        reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    )
    assert opened.status_code == 200


def test_an_operator_reads_the_draft_of_an_organisation_in_its_frame(client, waves, olivia):
    draft = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2027})
    assert client.get(draft).status_code == 200
    elsewhere = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2025})
    assert client.get(elsewhere).status_code == 404
