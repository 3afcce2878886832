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

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import builtin_path, load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer, Respondent

pytestmark = pytest.mark.django_db
HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=60, response_rate=0.5, seed=3)


def create_wave(client, sector, year=2026) -> Wave:
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": year,
            "title": f"Baromètre {year}",
            "frame": SimpleUploadedFile(
                "frame.csv", csv_text(sector.frame[FRAME_COLUMNS]).encode()
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Wave.objects.get(year=year)


def answer_everything(wave: Wave, sector) -> None:
    """Load the simulator's answers as if each respondent had answered online and sent."""
    for respondent_id, rows in sector.responses.groupby("respondent_id"):
        org = Organisation.objects.get(external_id=rows["organisation_id"].iloc[0])
        link, _token = link_create(
            wave=wave,
            organisation=org,
            kind="respondent",
            email=f"{respondent_id}@example.org",
            role=rows["role"].iloc[0],
        )
        person = Respondent.objects.create(
            wave=wave, organisation=org, link=link, role=rows["role"].iloc[0]
        )
        Answer.objects.bulk_create(
            Answer(respondent=person, field_id=f, value=v)
            for f, v in zip(rows["item_id"], rows["answer"], strict=True)
        )
        person.submitted_at = person.created_at
        person.save()


def test_operator_creates_a_wave_and_sees_every_error_at_once(client, olivia, sector):
    bad = "organisation_id,name,family,dwellings,department\nA,a,HLM,10,75\nB,b,OPH,-1,75\n"
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
    assert "famille inconnue &#x27;HLM&#x27;" in html and "est négatif" in html
    assert not Wave.objects.exists()  # all or nothing
    wave = create_wave(client, sector)
    assert wave.questionnaire_id == "hlm-2026" and wave.frame.count() == 60


def test_operator_invites_referents_by_csv(
    client, olivia, sector, django_capture_on_commit_callbacks
):
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
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
    client, olivia, sector, django_capture_on_commit_callbacks, committed
):
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("backoffice:wave", kwargs={"year": 2026}),
            {
                "invitations": SimpleUploadedFile(
                    "inv.csv",
                    b"organisation_id,email\n"
                    + f"{sector.responses.organisation_id.iloc[0]},remi@alpha.example\n".encode(),
                )
            },
        )
    token = re.search(r"/invitation/([\w-]+)/", mail.outbox[0].body).group(1)
    answer_everything(wave, sector)
    progress = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "organisations of the frame" in progress or "organismes du périmètre" in progress
    for action in ("close", "compute", "publish"):
        with committed():  # the computation is a job
            response = client.post(
                reverse("backoffice:action", kwargs={"year": 2026, "action": action}),
                {"confirm": "1"},
            )
        assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.status == Wave.Status.PUBLISHED
    assert wave.estimates_json["domains"]["sector"][0]["global"]["value"] is not None

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
    assert "Indice global" in public and "[" in public
    assert "n &lt; 5" in public  # small regions are suppressed, not shown


def test_permission_matrix(client, sector):
    users = get_user_model().objects
    wave_maker = users.create_user("op@x.example", password="x" * 12, is_staff=True)
    client.force_login(wave_maker)
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    answer_everything(wave, sector)
    alpha, beta = (Organisation.objects.get(external_id=o) for o in ("SYN-0001", "SYN-0002"))
    remi = users.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(user=remi, organisation=alpha)
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
    # a respondent's link opens only that respondent's questionnaire
    beta_link = AccessLink.objects.filter(organisation=beta, kind="respondent").first()
    assert beta_link is not None
    assert Respondent.objects.get(link=beta_link).organisation == beta


def test_referent_invites_a_colleague(client, sector, django_capture_on_commit_callbacks):
    users = get_user_model().objects
    client.force_login(users.create_user("op@x.example", password="x" * 12, is_staff=True))
    create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    remi = users.create_user("remi@alpha.example", password="x" * 12)
    Membership.objects.create(
        user=remi, organisation=Organisation.objects.get(external_id="SYN-0001")
    )
    client.force_login(remi)
    url = reverse("organisations:dashboard", kwargs={"external_id": "SYN-0001", "year": 2026})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "gardien@alpha.example", "role": "proximite"})
    assert response.status_code == 302
    assert "/repondre/" in mail.outbox[-1].body
    page = client.get(url).content.decode()
    assert "gardien@alpha.example" in page and "invité" in page
    assert builtin_path("hlm-2026").exists()


def test_referent_revokes_a_colleagues_link_of_his_own_organisation_only(client, sector):
    users = get_user_model().objects
    client.force_login(users.create_user("op@x.example", password="x" * 12, is_staff=True))
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
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
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
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


def test_reports_are_downloaded_as_pdf_by_those_allowed(client, olivia, sector, committed):
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    answer_everything(wave, sector)
    for action in ("close", "compute", "publish"):
        with committed():  # the computation is a job
            client.post(
                reverse("backoffice:action", kwargs={"year": 2026, "action": action}),
                {"confirm": "1"},
            )
    answered = Wave.objects.get().scores_json["organisations"][0]["organisation_id"]
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


def test_the_report_is_also_read_in_the_browser(client, olivia, sector, committed):
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    answer_everything(wave, sector)
    for action in ("close", "compute"):
        with committed():  # the computation is a job
            client.post(
                reverse("backoffice:action", kwargs={"year": 2026, "action": action}),
                {"confirm": "1"},
            )
    answered = Wave.objects.get().scores_json["organisations"][0]["organisation_id"]
    html = client.get(
        reverse("organisations:report_html", kwargs={"external_id": answered, "year": 2026})
    ).content.decode()
    assert "Feuille de route" in html and "<svg" in html
    assert "@page" in html  # the report's own style sheet is inlined


def test_every_organisation_report_is_made_in_the_background(
    client, olivia, django_capture_on_commit_callbacks
):
    import zipfile
    from io import BytesIO

    sector = simulate_sector(HLM, organisations=20, response_rate=0.3, seed=5)  # 6 reports
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    answer_everything(wave, sector)
    for action in ("close", "compute", "reports"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("backoffice:action", kwargs={"year": 2026, "action": action}),
                {"confirm": "1"},
            )
    job = Job.objects.get(kind="wave_reports")
    scored = [o for o in Wave.objects.get().scores_json["organisations"] if o["global"]]
    assert (job.status, job.done, job.total) == ("done", len(scored), len(scored))
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "terminé" in page and "rapports.zip" in page
    archive = client.get(reverse("backoffice:reports_archive", kwargs={"year": 2026}))
    names = zipfile.ZipFile(BytesIO(b"".join(archive.streaming_content))).namelist()
    assert sorted(names) == sorted(f"{o['organisation_id']}.pdf" for o in scored)


def test_a_wave_too_small_for_a_sector_estimate_still_gives_results(client, olivia, committed):
    sector = simulate_sector(HLM, organisations=12, response_rate=0.25, seed=5)  # 3 answer
    wave = create_wave(client, sector)
    client.post(reverse("backoffice:action", kwargs={"year": 2026, "action": "open"}))
    answer_everything(wave, sector)
    for action in ("close", "compute", "publish"):
        with committed():  # the computation is a job
            client.post(
                reverse("backoffice:action", kwargs={"year": 2026, "action": action}),
                {"confirm": "1"},
            )
    wave.refresh_from_db()
    assert wave.status == Wave.Status.COMPUTED  # computed, but not published
    assert wave.scores_json["organisations"]
    page = client.get(reverse("backoffice:wave", kwargs={"year": 2026})).content.decode()
    assert "sans estimation pour le secteur" in page
