"""A wave whose questionnaire has no typology (`methodology.typology: null`), and one whose
questionnaire names its own two axes: the referent's dashboard and report and the public
pages render, with no family (or with the questionnaire's names of the axes)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Localized, Questionnaire, Typology, TypologyAxis
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import Wave
from barometre.web.organisations.models import Membership, Organisation
from tests.web.conftest import answer_everything, wave_action

pytestmark = pytest.mark.django_db

HLM = load_questionnaire("hlm-2026")


def without_typology(q: Questionnaire) -> Questionnaire:
    return q.model_copy(
        update={
            "items": [item.model_copy(update={"axis": None}) for item in q.items],
            "methodology": q.methodology.model_copy(update={"typology": None}),
        }
    )


def with_named_axes(q: Questionnaire) -> Questionnaire:
    ids = {"tech": "capacite", "transfo": "gouvernance"}
    typology = Typology(
        axes=[
            TypologyAxis(
                id="capacite", label=Localized(fr="Capacité", en="Capability"), threshold=45
            ),
            TypologyAxis(
                id="gouvernance", label=Localized(fr="Gouvernance", en="Governance"), threshold=55
            ),
        ]
    )
    return q.model_copy(
        update={
            "items": [
                item.model_copy(update={"axis": ids.get(item.axis or "")}) for item in q.items
            ],
            "methodology": q.methodology.model_copy(update={"typology": typology}),
        }
    )


NO_TYPOLOGY = without_typology(HLM)
NAMED = with_named_axes(HLM)


@pytest.fixture(scope="module")
def plain_sector():
    return simulate_sector(NO_TYPOLOGY, organisations=30, seed=5)


@pytest.fixture(scope="module")
def named_sector():
    return simulate_sector(NAMED, organisations=30, seed=5)


def published_wave(client, committed, sector, questionnaire: Questionnaire) -> Wave:
    """Olivia creates the wave with `questionnaire` from the sector's frame; everyone answers;
    she closes, computes and publishes it."""
    response = client.post(
        reverse("backoffice:waves"),
        {
            "year": 2026,
            "title": "Baromètre 2026",
            "questionnaire": SimpleUploadedFile(
                "q.yaml", questionnaire_yaml(questionnaire).encode()
            ),
            "frame": SimpleUploadedFile(
                "frame.csv", csv_text(sector.frame[FRAME_COLUMNS]).encode()
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    wave = Wave.objects.get(year=2026)
    wave_action(client, "open")
    answer_everything(wave, sector)
    for action in ("close", "compute", "publish"):
        with committed():
            assert wave_action(client, action).status_code == 302
    wave.refresh_from_db()
    assert wave.status == Wave.Status.PUBLISHED, wave.status
    return wave


def referent_of(wave: Wave) -> tuple[Client, str]:
    """A signed-in referent of an organisation that has a global index."""
    scored = next(o for o in wave.scores.organisations if o.scored)
    user = get_user_model().objects.create_user("remi@x.example", password="x" * 12)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(external_id=scored.organisation_id)
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client, scored.organisation_id


def page(client: Client, name: str, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.content.decode()


def test_a_wave_without_typology_shows_no_family_anywhere(client, olivia, committed, plain_sector):
    wave = published_wave(client, committed, plain_sector, NO_TYPOLOGY)
    assert wave.scores is not None and not wave.scores.has_typology
    assert all(o.family is None for o in wave.scores.organisations)
    assert wave.estimates is not None
    assert wave.estimates.sector.axes is None
    assert wave.estimates.indicators.typology == ()
    referent, organisation = referent_of(wave)
    ids = {"external_id": organisation, "year": 2026}

    dashboard = page(referent, "organisations:dashboard", **ids)
    assert "data-global" in dashboard
    assert "data-family" not in dashboard
    assert "Famille" not in dashboard
    assert "axe tech" not in dashboard.lower()
    assert "deux axes" not in dashboard

    report = page(referent, "organisations:report_html", **ids)
    assert "Feuille de route" in report
    assert "Famille" not in report
    assert "pionnier" not in report.lower()
    assert "Famille sur les deux axes" not in report
    pdf = referent.get(reverse("organisations:report_pdf", kwargs=ids))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    public = page(client, "public:sector", year=2026)
    assert "Niveaux de maturité" in public
    assert "data-families" not in public
    assert "famille" not in public.lower()
    sector_pdf = client.get(reverse("public:sector_pdf", kwargs={"year": 2026}))
    assert sector_pdf.status_code == 200 and sector_pdf.content.startswith(b"%PDF")


def test_a_wave_with_named_axes_shows_their_names(client, olivia, committed, named_sector):
    wave = published_wave(client, committed, named_sector, NAMED)
    scores = wave.scores
    assert scores is not None and scores.methodology.typology is not None
    assert scores.methodology.typology.label("tech") == "Capacité"
    assert any(o.family is not None for o in scores.organisations)
    referent, organisation = referent_of(wave)
    ids = {"external_id": organisation, "year": 2026}

    dashboard = page(referent, "organisations:dashboard", **ids)
    assert "data-family" in dashboard
    assert "Capacité" in dashboard and "Gouvernance" in dashboard
    report = page(referent, "organisations:report_html", **ids)
    assert "Capacité ≥ 45" in report and "Gouvernance ≥ 55" in report
    assert "axe tech" not in report.lower()

    public = page(client, "public:sector", year=2026)
    assert "data-families" in public
    assert "Capacité et Gouvernance" in public
    assert "la technologie déployée" not in public
