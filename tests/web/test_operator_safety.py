"""Operators and referents are kept from acting by mistake, and the operator's wave page stays
light on a large frame.

Personas: Olivia is the operator (staff). Rémi is the referent of Office Alpha. Alice (Office
Alpha, IT lead) has started her questionnaire without sending it; Bob (Office Alpha, general
manager) has not opened his yet; Chloé (Habitat Beta) has sent her answers.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from barometre.contracts.estimates import EstimatesFile, FrameSummary
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, link_revoke, wave_create
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Respondent
from tests.helpers import TINY
from tests.web.conftest import FRAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def remi(client, wave):
    user = get_user_model().objects.create_user(
        "remi@alpha.example", email="remi@alpha.example", password="x" * 12
    )
    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id="ALPHA"))
    client.force_login(user)
    return user


def person(wave, org: str, role: str, email: str, *, started=False, sent=False) -> AccessLink:
    """A respondent's link; with `started` they opened the questionnaire, with `sent` they
    also sent their answers."""
    link, _token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id=org),
        kind=AccessLink.Kind.RESPONDENT,
        role=role,
        email=email,
    )
    if started or sent:
        Respondent.objects.create(
            wave=wave,
            organisation=link.organisation,
            role=role,
            link=link,
            submitted_at=timezone.now() if sent else None,
        )
    return link


def referent_link(wave, org: str, email: str) -> AccessLink:
    link, _token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id=org),
        kind=AccessLink.Kind.REFERENT,
        email=email,
    )
    return link


def action_url(action: str, year: int = 2026) -> str:
    return reverse("backoffice:action", kwargs={"year": year, "action": action})


def text_of(response) -> str:
    """The page's text with its tags removed and its spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


# --- Confirmation before closing, publishing, revoking ------------------------------------


def test_it_asks_before_closing_a_wave_and_says_who_is_still_answering(client, olivia, wave):
    person(wave, "ALPHA", "numerique", "alice@alpha.example", started=True)
    person(wave, "ALPHA", "direction", "bob@alpha.example")
    person(wave, "BETA", "clientele", "chloe@beta.example", sent=True)

    for response in (client.post(action_url("close")), client.get(action_url("close"))):
        assert response.status_code == 200
        page = text_of(response)
        assert "Fermer la vague Baromètre 2026 ?" in page
        assert "ne pourront plus répondre ni envoyer leurs réponses" in page
        assert "1 répondant a commencé sans envoyer ses réponses." in page  # Alice
        assert "1 répondant invité n'a pas encore ouvert le questionnaire." in page  # Bob
        assert "Confirmer" in page and "Annuler" in page
        assert 'name="confirm" value="1"' in response.content.decode()
        assert Wave.objects.get().status == Wave.Status.OPEN  # nothing done yet

    response = client.post(action_url("close"), {"confirm": "1"})
    assert response.status_code == 302
    assert Wave.objects.get().status == Wave.Status.CLOSED


def test_cancel_goes_back_to_the_wave_page(client, olivia, wave):
    html = client.post(action_url("close")).content.decode()
    assert f'href="{reverse("backoffice:wave", kwargs={"year": 2026})}">Annuler' in html


def test_a_wave_that_cannot_be_closed_is_not_offered_a_confirmation(client, olivia, wave):
    client.post(action_url("close"), {"confirm": "1"})
    response = client.get(action_url("close"), follow=True)
    assert "Une vague ne peut pas passer de l'état fermée à l'état fermée" in text_of(response)
    assert Wave.objects.get().status == Wave.Status.CLOSED


def estimate_of(*, responding: int, frame: int) -> EstimatesFile:
    """A real sector estimate (of a small synthetic sector), said to rest on `responding`
    organisations of a frame of `frame`: what the publication page quotes."""
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=40, response_rate=0.5, seed=3)
    scores = score_responses(questionnaire, sector.responses).to_file()
    estimate = estimate_wave(scores, sector.frame, questionnaire)
    counts = FrameSummary(
        organisations=frame,
        responding_organisations=responding,
        sampling_fraction=responding / frame,
    )
    return estimate.model_copy(update={"frame": counts})


def test_it_asks_before_publishing_and_says_it_cannot_be_undone(client, olivia, wave):
    # A computed wave whose sector estimate rests on 30 responding organisations of 60.
    Wave.objects.filter(pk=wave.pk).update(
        status=Wave.Status.COMPUTED, estimates=estimate_of(responding=30, frame=60)
    )
    response = client.post(action_url("publish"))
    page = text_of(response)
    assert "Publier le baromètre du secteur de la vague Baromètre 2026 ?" in page
    assert "deviennent publics" in page
    assert "30 organismes répondants sur les 60 du périmètre" in page
    assert "ne peut plus être retiré" in page
    assert Wave.objects.get().status == Wave.Status.COMPUTED

    assert client.post(action_url("publish"), {"confirm": "1"}).status_code == 302
    assert Wave.objects.get().status == Wave.Status.PUBLISHED


def test_other_actions_still_need_a_post_and_no_confirmation(client, olivia, wave):
    assert client.get(action_url("reopen")).status_code == 405
    client.post(action_url("close"), {"confirm": "1"})
    assert client.post(action_url("reopen")).status_code == 302
    assert Wave.objects.get().status == Wave.Status.OPEN


def test_a_referent_never_sees_the_operators_confirmation(client, remi, wave):
    assert client.get(action_url("close")).status_code == 403
    assert client.post(action_url("close"), {"confirm": "1"}).status_code == 403
    assert Wave.objects.get().status == Wave.Status.OPEN


def test_it_asks_before_revoking_a_colleagues_link(client, remi, wave):
    alice = person(wave, "ALPHA", "numerique", "alice@alpha.example", started=True)
    url = reverse(
        "organisations:revoke",
        kwargs={"external_id": "ALPHA", "year": 2026, "link_id": alice.pk},
    )
    dashboard = client.get(
        reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    ).content.decode()
    assert f'action="{url}"' in dashboard  # the button posts without confirm

    for response in (client.post(url), client.get(url)):
        assert response.status_code == 200
        page = text_of(response)
        assert "Révoquer le lien de alice@alpha.example ?" in page
        assert "cesse de fonctionner immédiatement" in page
        assert "Les réponses déjà enregistrées sont conservées." in page
        assert "Confirmer" in page and "Annuler" in page
        alice.refresh_from_db()
        assert alice.revoked_at is None

    assert client.post(url, {"confirm": "1"}).status_code == 302
    alice.refresh_from_db()
    assert alice.revoked_at is not None


def test_a_referent_cannot_open_the_confirmation_for_another_organisation(client, remi, wave):
    chloe = person(wave, "BETA", "clientele", "chloe@beta.example")
    url = reverse(
        "organisations:revoke",
        kwargs={"external_id": "ALPHA", "year": 2026, "link_id": chloe.pk},
    )
    assert client.get(url).status_code == 404
    own_url_of_beta = reverse(
        "organisations:revoke",
        kwargs={"external_id": "BETA", "year": 2026, "link_id": chloe.pk},
    )
    assert client.get(own_url_of_beta).status_code == 403


# --- Inviting someone already invited -------------------------------------------------------


def upload_invitations(client, text: str, *, again: bool = False, name: str = "inv.csv"):
    data = {"invitations": SimpleUploadedFile(name, text.encode())}
    if again:
        data["invite_again"] = "on"
    return client.post(reverse("backoffice:wave", kwargs={"year": 2026}), data, follow=True)


def referent_links(org: str) -> int:
    return AccessLink.objects.filter(
        kind=AccessLink.Kind.REFERENT, organisation__external_id=org
    ).count()


def test_referents_already_invited_are_listed_and_skipped(client, olivia, wave):
    referent_link(wave, "ALPHA", "remi@alpha.example")
    response = upload_invitations(
        client,
        "organisation_id,email\nALPHA,Remi@Alpha.example\nBETA,sofia@beta.example\n",
    )
    page = text_of(response)
    assert "1 référent invité :" in page  # Sofia only
    assert "1 ligne ignorée" in page
    assert "Remi@Alpha.example (ALPHA, ligne 2)" in page
    assert "Inviter à nouveau les personnes qui ont déjà une invitation" in page
    assert (referent_links("ALPHA"), referent_links("BETA")) == (1, 1)


def test_a_file_of_people_all_already_invited_sends_nothing(client, olivia, wave):
    referent_link(wave, "ALPHA", "remi@alpha.example")
    referent_link(wave, "BETA", "sofia@beta.example")
    response = upload_invitations(
        client,
        "organisation_id,email\r\nALPHA,remi@alpha.example\r\nBETA,sofia@beta.example\r\n",
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "0 référent invité :" in page and "2 lignes ignorées" in page
    assert (referent_links("ALPHA"), referent_links("BETA")) == (1, 1)


def test_referents_are_invited_again_when_the_operator_says_so(client, olivia, wave):
    referent_link(wave, "ALPHA", "remi@alpha.example")
    response = upload_invitations(
        client, "organisation_id,email\nALPHA,remi@alpha.example\n", again=True
    )
    page = text_of(response)
    assert "1 référent invité :" in page and "ligne ignorée" not in page
    assert referent_links("ALPHA") == 2


def test_a_revoked_referent_link_is_not_an_invitation(client, olivia, wave):
    link_revoke(link=referent_link(wave, "ALPHA", "remi@alpha.example"))
    page = text_of(upload_invitations(client, "organisation_id,email\nALPHA,remi@alpha.example\n"))
    assert "ligne ignorée" not in page
    assert referent_links("ALPHA") == 2


def test_the_same_email_for_another_organisation_is_not_a_repeat(client, olivia, wave):
    referent_link(wave, "ALPHA", "direction@groupe.example")
    page = text_of(
        upload_invitations(client, "organisation_id,email\nBETA,direction@groupe.example\n")
    )
    assert "ligne ignorée" not in page
    assert referent_links("BETA") == 1


def test_skipped_rows_leave_the_line_numbers_of_the_other_problems(client, olivia, wave):
    referent_link(wave, "ALPHA", "remi@alpha.example")
    response = upload_invitations(
        client,
        "organisation_id,email\nALPHA,remi@alpha.example\nBETA,pas-un-courriel\n",
    )
    html = response.content.decode()
    assert "inv.csv:3" in html and "inv.csv:2" not in html
    assert referent_links("BETA") == 0  # nothing sent while the file has a problem


def dashboard_url() -> str:
    return reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})


def colleague_links(email: str) -> int:
    return AccessLink.objects.filter(kind="respondent", email__iexact=email).count()


def test_a_colleague_already_invited_is_warned_about(client, remi, wave):
    person(wave, "ALPHA", "numerique", "alice@alpha.example", started=True)
    response = client.post(dashboard_url(), {"email": "Alice@alpha.example", "role": "direction"})
    assert response.status_code == 200
    page = text_of(response)
    assert (
        "Alice@alpha.example a déjà une invitation à cette vague qui n'a pas été révoquée" in page
    )
    assert "Numérique — en cours de réponse" in page
    assert "Envoyer quand même une nouvelle invitation" in page
    assert colleague_links("alice@alpha.example") == 1  # nothing sent

    response = client.post(
        dashboard_url(),
        {"email": "Alice@alpha.example", "role": "direction", "anyway": "Alice@alpha.example"},
    )
    assert response.status_code == 302
    assert colleague_links("alice@alpha.example") == 2


def test_the_box_ticked_for_another_email_does_not_count(client, remi, wave):
    person(wave, "ALPHA", "numerique", "alice@alpha.example")
    person(wave, "ALPHA", "direction", "bob@alpha.example")
    response = client.post(
        dashboard_url(),
        {"email": "bob@alpha.example", "role": "direction", "anyway": "alice@alpha.example"},
    )
    assert response.status_code == 200 and "bob@alpha.example a déjà" in text_of(response)
    assert colleague_links("bob@alpha.example") == 1


def test_a_revoked_colleague_is_invited_without_a_warning(client, remi, wave):
    link_revoke(link=person(wave, "ALPHA", "numerique", "alice@alpha.example"))
    response = client.post(dashboard_url(), {"email": "alice@alpha.example", "role": "numerique"})
    assert response.status_code == 302
    assert colleague_links("alice@alpha.example") == 2


# --- Upload size --------------------------------------------------------------------------


@override_settings(BAROMETRE_MAX_UPLOAD_MB=1)
def test_a_frame_over_the_limit_is_refused_with_its_name_size_and_limit(client, olivia):
    big = b"organisation_id,name,organisation_type,dwellings,department\n" + b"x" * (
        3 * 1024 * 1024 // 2
    )
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2027,
            "title": "Baromètre 2027",
            "frame": SimpleUploadedFile("grand-perimetre.csv", big),
        },
    )
    assert response.status_code == 200
    # 49 + 1,572,864 = 1,572,913 bytes = 1.50005 MB
    assert "Le fichier grand-perimetre.csv fait 1,5 Mo, plus que la limite de 1 Mo." in text_of(
        response
    )
    assert not Wave.objects.exists()


@override_settings(BAROMETRE_MAX_UPLOAD_MB=1)
def test_an_invitations_file_over_the_limit_is_refused(client, olivia, wave):
    big = "organisation_id,email\n" + "ALPHA,remi@alpha.example\n" * 50_000
    page = text_of(upload_invitations(client, big, name="referents.csv"))
    # 22 + 25 x 50,000 = 1,250,022 bytes = 1.19212 MB
    assert "Le fichier referents.csv fait 1,2 Mo, plus que la limite de 1 Mo." in page
    assert referent_links("ALPHA") == 0


@pytest.mark.parametrize(
    "data_upload_limit",
    [2_621_440, None],  # Django's default (2.5 MB) and no limit
)
def test_a_file_larger_than_djangos_memory_limits_is_accepted(client, olivia, data_upload_limit):
    # 3 MB of comments in a valid questionnaire: past DATA_UPLOAD_MAX_MEMORY_SIZE and
    # FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), far below the 25 MB of BAROMETRE_MAX_UPLOAD_MB.
    padded = TINY + ("# " + "x" * 1022 + "\n") * 3 * 1024
    with override_settings(
        DATA_UPLOAD_MAX_MEMORY_SIZE=data_upload_limit, BAROMETRE_MAX_UPLOAD_MB=25
    ):
        response = client.post(
            reverse("backoffice:waves"),
            {
                "year": 2027,
                "title": "Baromètre 2027",
                "questionnaire": SimpleUploadedFile("q.yaml", padded.encode()),
                "frame": SimpleUploadedFile("frame.csv", FRAME.encode()),
            },
        )
    assert response.status_code == 302, text_of(response)[:500]
    assert Wave.objects.get(year=2027).frame.count() == 3


# --- The wave page: one page of organisations, search, filters, totals ----------------------


def big_wave(year: int = 2026, organisations: int = 120) -> Wave:
    """A wave whose frame has ORG-001 "Organisme 001" ... ORG-120 "Organisme 120"."""
    rows = "".join(
        f"ORG-{n:03d},Organisme {n:03d},OPH,1000,59\n" for n in range(1, organisations + 1)
    )
    return wave_create(
        year=year,
        title=f"Baromètre {year}",
        questionnaire_yaml=TINY,
        frame_csv="organisation_id,name,organisation_type,dwellings,department\n" + rows,
    )


def wave_page(client, year: int = 2026, **params):
    return client.get(reverse("backoffice:wave", kwargs={"year": year}), params)


def organisations_shown(response) -> list[str]:
    return re.findall(r'data-organisation="([^"]+)"', response.content.decode())


def test_the_wave_page_shows_50_organisations_a_page(client, olivia):
    big_wave()
    first = wave_page(client)
    assert organisations_shown(first) == [f"ORG-{n:03d}" for n in range(1, 51)]
    page = text_of(first)
    assert "120 organismes correspondent." in page
    assert "Page 1 sur 3" in page
    assert 'href="?page=2#response-rates"' in first.content.decode()
    # 120 = 50 + 50 + 20
    assert organisations_shown(wave_page(client, page=3)) == [
        f"ORG-{n:03d}" for n in range(101, 121)
    ]
    assert len(organisations_shown(wave_page(client, page=99))) == 20  # the last page
    assert len(organisations_shown(wave_page(client, page="abc"))) == 50  # the first page


def test_search_finds_an_organisation_by_name_or_identifier_in_any_case(client, olivia):
    big_wave()
    assert organisations_shown(wave_page(client, q="ORGANISME 042")) == ["ORG-042"]
    # ORG-110 ... ORG-119
    assert organisations_shown(wave_page(client, q="org-11")) == [
        f"ORG-{n:03d}" for n in range(110, 120)
    ]
    assert organisations_shown(wave_page(client, q="nulle part")) == []
    assert "0 organisme correspond." in text_of(wave_page(client, q="nulle part"))


def test_page_links_keep_the_search_and_the_filter(client, olivia):
    big_wave()
    html = wave_page(client, q="organisme", status="nobody_sent").content.decode()
    assert 'href="?q=organisme&amp;status=nobody_sent&amp;page=2#response-rates"' in html
    second = wave_page(client, q="organisme", status="nobody_sent", page=2)
    assert organisations_shown(second)[0] == "ORG-051"


def test_filters_and_totals_help_chase_answers(client, olivia):
    wave = big_wave()
    for n in range(1, 11):  # ORG-001 ... ORG-010 have a referent
        referent_link(wave, f"ORG-{n:03d}", f"referent{n}@example.org")
    link_revoke(link=referent_link(wave, "ORG-011", "parti@example.org"))  # revoked: none
    person(wave, "ORG-001", "numerique", "a@example.org", sent=True)
    person(wave, "ORG-001", "direction", "b@example.org", started=True)
    person(wave, "ORG-002", "direction", "c@example.org", started=True)

    def shown(status: str) -> str:
        return text_of(wave_page(client, status=status))

    assert "110 organismes correspondent." in shown("no_referent")  # 120 - 10
    assert "118 organismes correspondent." in shown("nobody_invited")  # 120 - ORG-001, 002
    assert "119 organismes correspondent." in shown("nobody_sent")  # 120 - ORG-001
    assert organisations_shown(wave_page(client, status="some_sent")) == ["ORG-001"]
    assert "120 organismes correspondent." in shown("no-such-filter")  # ignored

    page = text_of(wave_page(client))
    assert "1 organisme du périmètre sur 120 a au moins un répondant" in page
    assert "10 sur 120 ont un référent invité." in page
    # ORG-001: Direction started, not sent; Numérique sent (questionnaire's role order)
    first = wave_page(client, q="ORG-001").content.decode()
    row = re.search(r'data-organisation="ORG-001">(.*?)</tr>', first, re.S).group(1)
    assert "Direction 0/1/1 · Numérique 1/1/1" in row
    assert "✓" in row


def test_the_roles_are_labelled_in_the_readers_language(client, olivia):
    wave = big_wave()
    person(wave, "ORG-001", "direction", "a@example.org", sent=True)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = text_of(wave_page(client, q="ORG-001"))
    assert "Response rates" in page and "1 organisation matches." in page
    assert "Direction 1/1/1" in page  # TINY names its roles in French only


def test_the_page_costs_the_same_number_of_queries_for_any_frame(client, olivia):
    big_wave(2026, organisations=3)
    big_wave(2027, organisations=120)
    counts = []
    for year in (2026, 2027):
        with CaptureQueriesContext(connection) as queries:
            assert wave_page(client, year).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Signing out -----------------------------------------------------------------------------


def test_a_signed_in_referent_can_sign_out_from_any_page(client, remi, wave):
    logout = reverse("logout")
    for url in (dashboard_url(), reverse("home"), reverse("public:index")):
        html = client.get(url).content.decode()
        assert f'action="{logout}" method="post"' in html
        assert "Connecté en tant que remi@alpha.example" in text_of(client.get(url))
        assert "Se déconnecter" in html
    response = client.post(logout)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(dashboard_url()).status_code == 302  # signed out: sent to sign in


def test_nobody_signed_in_sees_no_sign_out_and_the_sign_in_page_leads_home(client):
    assert "Se déconnecter" not in client.get(reverse("home")).content.decode()
    html = client.get(reverse("login")).content.decode()
    assert re.search(rf'<a href="{reverse("home")}">← Retour à l(\'|&#x27;)accueil</a>', html)
