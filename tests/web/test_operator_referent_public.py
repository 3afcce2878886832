"""Operator, referent and public reader, through the server; and who may see what.

Personas: Olivia is the operator (staff). Rémi is the referent of Office Alpha. Sofia is the
referent of Habitat Beta. Every organisation of a small synthetic frame answers through one
respondent so that the wave can be computed and published.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barometre.contracts.estimates import DomainEstimate, Figure
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create
from barometre.web.campaigns.tokens import hash_token
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer
from tests.web.conftest import create_wave, wave_action

pytestmark = pytest.mark.django_db
HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=60, response_rate=0.5, seed=3)


def figures(html: str) -> tuple[float, float, float]:
    """The value and 95 % interval of an estimate shown as `<strong>52,3</strong>
    <small class="interval">[48,1 ; 56,5]</small>` (French: decimal comma, narrow no-break
    space before ";"; English: `[48.1, 56.5]`; the minus sign is U+2212)."""
    number = r"([\u2212-]?\d+(?:[,.]\d+)?)"
    separator = r"(?:\u202f;|,)\u00a0"
    found = re.search(
        rf"<strong>{number}</strong> "
        rf'<small class="interval">\[{number}{separator}{number}\]</small>',
        html,
    )
    assert found, html[:500]
    value, low, high = (float(x.replace(",", ".").replace("\u2212", "-")) for x in found.groups())
    return value, low, high


def sector_estimate(wave: Wave) -> DomainEstimate:
    """The wave's estimate for the whole sector (global index, dimensions, shares)."""
    assert wave.estimates is not None
    return wave.estimates.sector


def shown_as(estimate: Figure):
    """An estimate of the file (value, low and high ends of its interval) as the page shows
    it: rounded to one decimal."""
    return [round(x, 1) for x in (estimate.value, estimate.ci_low, estimate.ci_high)]


def test_operator_creates_a_wave_and_sees_every_error_at_once(client, olivia, sector):
    bad = (
        "organisation_id,name,organisation_type,dwellings,department\n"
        "A,a,HLM,10,75\nB,b,OPH,-1,75\n"
    )
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2026,
            "title": "Baromètre 2026",
            "frame": SimpleUploadedFile("frame.csv", bad.encode()),
        },
    )
    html = response.content.decode()
    assert "frame.csv:2" in html and "frame.csv:3" in html
    assert "type d&#x27;organisme inconnu &#x27;HLM&#x27;" in html and "est négatif" in html
    assert not Wave.objects.exists()  # all or nothing
    wave = create_wave(client, sector)
    assert wave.questionnaire_id == "hlm-2026" and wave.frame.count() == 60


def test_operator_invites_referents_by_csv(
    client, olivia, sector, django_capture_on_commit_callbacks
):
    wave = create_wave(client, sector)
    wave_action(client, "open")
    bad = "organisation_id,email\nSYN-0001,pas-un-courriel\nNOPE,x@example.org\n"
    response = client.post(
        reverse("backoffice:wave", kwargs={"year": 2026}),
        {"invitations": SimpleUploadedFile("inv.csv", bad.encode())},
    )
    html = response.content.decode()
    assert "inv.csv:2" in html and "inv.csv:3" in html
    assert not AccessLink.objects.exists() and not mail.outbox
    good = "organisation_id,email\nSYN-0001,remi@alpha.example\nSYN-0002,sofia@beta.example\n"
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go after the commit
        client.post(
            reverse("backoffice:wave", kwargs={"year": 2026}),
            {"invitations": SimpleUploadedFile("inv.csv", good.encode())},
        )
    assert len(mail.outbox) == 2
    assert re.search(r"/invitation/[\w-]{43}/", mail.outbox[0].body)
    assert wave.links.filter(kind=AccessLink.Kind.REFERENT).count() == 2


def test_full_cycle_referent_results_and_public_page(
    client, client_en, sector, computed_wave, django_capture_on_commit_callbacks
):
    def invite_the_referent_and_follow_the_answers(wave):
        answered = sector.responses.organisation_id.iloc[0]
        invitations = f"organisation_id,email\n{answered},remi@alpha.example\n"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("backoffice:wave", kwargs={"year": 2026}),
                {"invitations": SimpleUploadedFile("inv.csv", invitations.encode())},
            )
        progress = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
        assert "organismes du périmètre" in progress

    wave = computed_wave(
        sector, then=("publish",), before_close=invite_the_referent_and_follow_the_answers
    )
    token = re.search(r"/invitation/([\w-]+)/", mail.outbox[0].body).group(1)
    assert wave.status == Wave.Status.PUBLISHED
    overall = sector_estimate(wave)
    assert overall.global_index.value is not None

    client.logout()
    response = client.post(
        reverse("organisations:accept", kwargs={"token": token}),
        {"password": "un-mot-de-passe-solide"},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Indice global" in page and "<svg" in page
    assert "Pour atteindre le niveau suivant" in page
    # the link worked once
    again = client.get(reverse("organisations:accept", kwargs={"token": token}))
    assert again.status_code == 404

    public = client.get(reverse("public:sector", kwargs={"year": 2026})).content.decode()
    # The sector's global index with its 95 % interval, as the wave's estimate gives them.
    headline = re.search(r'<p class="headline">(.*?)</p>', public, re.S).group(1)
    assert "Indice global" in headline
    value, low, high = figures(headline)
    assert low <= value <= high and low < high
    assert [value, low, high] == shown_as(overall.global_index)
    # Each dimension's score with its interval, under the questionnaire's label.
    labels = {d.id: d.label.get("fr") for d in HLM.dimensions}
    for dimension, estimate in overall.dimensions.items():
        row = re.search(
            rf'<th scope="row">{re.escape(labels[dimension])}</th><td>(.*?)</td>', public
        )
        assert row, labels[dimension]
        assert list(figures(row.group(1))) == shown_as(estimate)
    assert "n &lt; 5" in public  # small regions are suppressed, not shown
    # An English reader gets the same figures, in English.
    english = client_en.get(reverse("public:sector", kwargs={"year": 2026})).content.decode()
    headline = re.search(r'<p class="headline">(.*?)</p>', english, re.S).group(1)
    assert "Global index" in headline and f"<strong>{value:.1f}</strong>" in headline


def test_permission_matrix(client, sector, answered_wave):
    users = get_user_model().objects
    wave = answered_wave(sector)
    alpha, beta = (Organisation.objects.get(external_id=o) for o in ("SYN-0001", "SYN-0002"))
    remi = users.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=alpha)
    tokens = {}
    for org in (alpha, beta):
        _link, tokens[org.external_id] = link_create(
            wave=wave, organisation=org, kind="respondent", role="direction", email="d@x.example"
        )
    client.logout()

    dashboard = reverse("organisations:dashboard", kwargs={"external_id": "SYN-0002", "year": 2026})
    # anonymous: sent to sign in
    assert client.get(dashboard).status_code == 302
    assert client.get(reverse("backoffice:waves")).status_code == 302
    # a referent reads and writes only his own organisation
    client.force_login(remi)
    assert client.get(dashboard).status_code == 403
    assert (
        client.post(dashboard, {"email": "x@beta.example", "role": "direction"}).status_code == 403
    )
    own = reverse("organisations:dashboard", kwargs={"external_id": "SYN-0001", "year": 2026})
    assert client.get(own).status_code == 200
    # a referent is not an operator
    assert client.get(reverse("backoffice:waves")).status_code == 403
    assert (
        client.post(
            reverse("backoffice:action", kwargs={"year": 2026, "action": "close"})
        ).status_code
        == 403
    )
    # the public page of an unpublished wave does not exist
    assert client.get(reverse("public:sector", kwargs={"year": 2026})).status_code == 404
    client.logout()

    # a respondent's link opens only that respondent's questionnaire: what Alpha's director
    # writes is never shown to Beta's, who reads and writes only her own answers
    def save(org: str, value: str):
        return client.post(
            reverse("responses:save", kwargs={"token": tokens[org]}),
            {"field": "txt_obstacle", "value": value, "version": 0},
        )

    def stored(org: str) -> dict:
        state = client.get(reverse("responses:state", kwargs={"token": tokens[org]}))
        assert state.status_code == 200
        return {f: value for f, (value, _version) in state.json()["fields"].items()}

    assert save("SYN-0001", "Les boîtes mail d'Alpha").json()["ok"] is True
    assert stored("SYN-0002") == {}
    first_page = client.get(
        reverse("responses:start", kwargs={"token": tokens["SYN-0002"]}), follow=True
    )
    assert first_page.status_code == 200
    assert save("SYN-0002", "Le papier de Beta").json()["ok"] is True
    assert stored("SYN-0001") == {"txt_obstacle": "Les boîtes mail d'Alpha"}
    assert stored("SYN-0002") == {"txt_obstacle": "Le papier de Beta"}
    written = Answer.objects.get(value="Le papier de Beta").respondent
    assert (written.organisation, written.role) == (beta, "direction")
    assert written.link.token_hash == hash_token(tokens["SYN-0002"])
    # and it is no invitation to an organisation's results
    invitation = reverse("organisations:accept", kwargs={"token": tokens["SYN-0002"]})
    assert client.get(invitation).status_code == 404
    assert client.get(dashboard).status_code == 302


def test_referent_invites_a_colleague(client, sector, django_capture_on_commit_callbacks):
    users = get_user_model().objects
    client.force_login(users.create_user("op@x.example", password="x" * 12, is_staff=True))
    wave = create_wave(client, sector)
    wave_action(client, "open")
    alpha = Organisation.objects.get(external_id="SYN-0001")
    remi = users.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=alpha)
    client.force_login(remi)
    url = reverse("organisations:dashboard", kwargs={"external_id": "SYN-0001", "year": 2026})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "gardien@alpha.example", "role": "proximite"})
    assert response.status_code == 302
    invitation = mail.outbox[-1]
    assert invitation.to == ["gardien@alpha.example"]
    token = re.search(r"/repondre/([\w-]+)/", invitation.body).group(1)

    def colleague_row() -> tuple[str, str]:
        page = client.get(url).content.decode()
        row = re.search(
            r"<tr><td>gardien@alpha\.example</td><td>([^<]*)</td><td>([^<]*)</td>", page
        )
        assert row, "the colleague is not listed"
        return row.groups()

    caretaker = next(r.label.get("fr") for r in HLM.roles if r.code == "proximite")
    assert colleague_row() == (caretaker, "invité")

    # The link of the e-mail opens the questionnaire of Alpha for a caretaker (proximite):
    # the answers given through it are Alpha's, and Rémi sees his colleague answering.
    client.logout()
    opened = client.get(reverse("responses:start", kwargs={"token": token}), follow=True)
    assert opened.status_code == 200 and 'name="f:' in opened.content.decode()
    saved = client.post(
        reverse("responses:save", kwargs={"token": token}),
        {"field": "txt_obstacle", "value": "Les clés des loges", "version": 0},
    )
    assert saved.json()["ok"] is True
    respondent = Answer.objects.get(value="Les clés des loges").respondent
    assert (respondent.wave, respondent.organisation, respondent.role) == (
        wave,
        alpha,
        "proximite",
    )
    client.force_login(remi)
    assert colleague_row() == (caretaker, "en cours de réponse")


def test_referent_revokes_a_colleagues_link_of_his_own_organisation_only(client, sector):
    users = get_user_model().objects
    client.force_login(users.create_user("op@x.example", password="x" * 12, is_staff=True))
    wave = create_wave(client, sector)
    wave_action(client, "open")
    alpha, beta = (Organisation.objects.get(external_id=o) for o in ("SYN-0001", "SYN-0002"))
    remi = users.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=alpha)
    own, _t = link_create(
        wave=wave, organisation=alpha, kind="respondent", role="support", email="rh@alpha.example"
    )
    other, _t = link_create(
        wave=wave, organisation=beta, kind="respondent", role="support", email="rh@beta.example"
    )
    client.force_login(remi)
    for link, expected in ((other, 404), (own, 302)):
        url = reverse(
            "organisations:revoke",
            kwargs={"external_id": "SYN-0001", "year": 2026, "link_id": link.pk},
        )
        assert client.post(url, {"confirm": "1"}).status_code == expected
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None and other.revoked_at is None


def test_an_invitation_never_opens_an_existing_account_without_its_password(client, sector):
    users = get_user_model().objects
    olga = users.create_user("olga@x.example", password="mot-de-passe-d-olga", is_staff=True)
    client.force_login(olga)
    wave = create_wave(client, sector)
    client.logout()
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id="SYN-0001"),
        kind="referent",
        email="olga@x.example",
    )
    url = reverse("organisations:accept", kwargs={"token": token})
    page = client.get(url).content.decode()
    assert "Un compte existe déjà" in page
    response = client.post(url, {"password": "un-autre-mot-de-passe"})
    assert response.status_code == 200  # nothing happens until Olga signs in
    assert client.get(reverse("backoffice:waves")).status_code == 302  # not signed in
    assert not Membership.objects.exists()
    assert users.get(pk=olga.pk).check_password("mot-de-passe-d-olga")
    client.force_login(olga)
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=olga).count() == 1
    assert client.get(url).status_code == 404  # used once


def test_an_accepted_referent_still_counts_in_the_response_rates(client, olivia, sector):
    wave = create_wave(client, sector)
    _link, token = link_create(
        wave=wave,
        organisation=Organisation.objects.get(external_id="SYN-0001"),
        kind="referent",
        email="remi@alpha.example",
    )
    client.logout()
    client.post(
        reverse("organisations:accept", kwargs={"token": token}),
        {"password": "un-mot-de-passe-solide"},
    )
    from barometre.web.campaigns.selectors import wave_progress

    rows = wave_progress(wave=wave, search="SYN-0001").rows
    row = next(r for r in rows if r.external_id == "SYN-0001")
    assert row.referent == 1


def test_the_dashboard_offers_to_revoke_a_link(client, olivia, sector):
    wave = create_wave(client, sector)
    wave_action(client, "open")
    alpha = Organisation.objects.get(external_id="SYN-0001")
    link_create(
        wave=wave, organisation=alpha, kind="respondent", role="support", email="rh@alpha.example"
    )
    page = client.get(
        reverse("organisations:dashboard", kwargs={"external_id": "SYN-0001", "year": 2026})
    ).content.decode()
    assert "Révoquer le lien" in page


def test_a_bad_questionnaire_file_is_explained_in_french(client, olivia, sector):
    from tests.helpers import TINY

    bad = TINY.replace("dimension: B", "dimension: Z").replace("weight: 2", "weight: -1")
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2026,
            "title": "Baromètre 2026",
            "questionnaire": SimpleUploadedFile("q.yaml", bad.encode()),
            "frame": SimpleUploadedFile(
                "frame.csv", csv_text(sector.frame[FRAME_COLUMNS]).encode()
            ),
        },
    )
    html = response.content.decode()
    assert "dimension inconnue &#x27;Z&#x27;" in html
    assert "doit être supérieur à 0" in html
    assert "q.yaml:" in html
    assert not Wave.objects.exists()


def test_reports_are_downloaded_as_pdf_by_those_allowed(client, sector, computed_wave):
    wave = computed_wave(sector, then=("publish",))
    answered = wave.scores.organisations[0].organisation_id
    other = next(o for o in Organisation.objects.all() if o.external_id != answered)
    users = get_user_model().objects
    remi = users.create_user("remi@x.example", password="x" * 12)
    Membership.objects.create(
        user=remi, organisation=Organisation.objects.get(external_id=answered)
    )
    client.force_login(remi)
    own = client.get(
        reverse("organisations:report_pdf", kwargs={"external_id": answered, "year": 2026})
    )
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF")
    foreign = client.get(
        reverse("organisations:report_pdf", kwargs={"external_id": other.external_id, "year": 2026})
    )
    assert foreign.status_code == 403
    client.logout()
    public = client.get(reverse("public:sector_pdf", kwargs={"year": 2026}))
    assert public.status_code == 200 and public.content.startswith(b"%PDF")


def test_the_report_is_also_read_in_the_browser(client, sector, computed_wave):
    wave = computed_wave(sector)
    answered = wave.scores.organisations[0].organisation_id
    html = client.get(
        reverse("organisations:report_html", kwargs={"external_id": answered, "year": 2026})
    ).content.decode()
    assert "Feuille de route" in html and "<svg" in html
    assert "@page" in html  # the report's own style sheet is inlined


def test_every_organisation_report_is_made_in_the_background(client, computed_wave):
    import zipfile
    from io import BytesIO

    sector = simulate_sector(HLM, organisations=20, response_rate=0.3, seed=5)  # 6 reports
    wave = computed_wave(sector, then=("reports",))
    job = Job.objects.get(kind="wave_reports")
    scored = [o for o in wave.scores.organisations if o.scored]
    assert (job.status, job.done, job.total) == ("done", len(scored), len(scored))
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "terminé" in page and "rapports.zip" in page
    archive = client.get(reverse("backoffice:reports_archive", kwargs={"year": 2026}))
    names = zipfile.ZipFile(BytesIO(b"".join(archive.streaming_content))).namelist()
    assert sorted(names) == sorted(f"{o.organisation_id}.pdf" for o in scored)


def test_a_wave_too_small_for_a_sector_estimate_still_gives_results(client, computed_wave):
    sector = simulate_sector(HLM, organisations=12, response_rate=0.25, seed=5)  # 3 answer
    wave = computed_wave(sector, then=("publish",))
    assert wave.status == Wave.Status.COMPUTED  # computed, but not published
    assert wave.scores is not None and wave.scores.organisations
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "sans estimation pour le secteur" in page
