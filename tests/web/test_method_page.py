"""The method page: every methodology parameter read from the questionnaire, in both languages."""

import pytest
import yaml
from bs4 import BeautifulSoup

from barometre.questionnaire.loader import builtin_path

pytestmark = pytest.mark.django_db


def page(client, language="fr"):
    response = client.get("/methode/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_it_states_the_thresholds_of_the_builtin_questionnaire_before_any_wave(client):
    text = page(client, "en").get_text(" ", strip=True)
    # hlm-2026's methodology: levels at 0, 25, 50, 75; axes at 50; coverage 65 %; minimum 5.
    levels = page(client, "en").select("#levels table tbody tr")
    assert [[c.get_text(strip=True) for c in row.select("th, td")] for row in levels] == [
        ["Very low", "0", "25"],
        ["Low", "25", "50"],
        ["Intermediate", "50", "75"],
        ["Advanced", "75", "100 (included)"],
    ]
    assert "At or above 50 on the tech axis and 50 on the transformation axis" in text
    assert "at least 65% of its weight" in text
    assert "fewer than 5 organisations" in text


def test_it_is_french_first_with_french_typography(client):
    soup = page(client, "fr")
    assert soup.html["lang"] == "fr"
    assert "65\u202f%" in soup.select_one("#goalposts").get_text()
    assert soup.select_one("h1").get_text(strip=True) == "Méthode du baromètre"


def test_every_scored_question_says_how_it_is_scored(client):
    described = yaml.safe_load(builtin_path("hlm-2026").read_text(encoding="utf-8"))
    scored = [i for i in described["items"] if i.get("scored", True) and i["kind"] != "text"]
    rows = page(client, "en").select("#goalposts details tbody tr")
    assert len(rows) == len(scored)
    assert all(row.select_one("td").get_text(strip=True) for row in rows)


def test_the_questionnaire_downloads_as_the_file_it_describes(client):
    response = client.get("/methode/questionnaire.yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hlm-2026-')
    assert response.content.decode() == builtin_path("hlm-2026").read_text(encoding="utf-8")


def test_every_page_links_to_the_method(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one('footer a[href="/methode/"]') is not None


def test_the_families_read_as_the_typology_assigns_them(client):
    # scoring/typology.py: high tech only is timide, low on both conservateur, high
    # transformation only prudent.
    text = page(client, "en").select_one("#levels").get_text(" ", strip=True)
    assert "high on technology only, a timid adopter (timide)" in text
    assert "low on both, a conservative (conservateur)" in text
    assert "high on practices only, cautious (prudent)" in text


# -- the variance method and its degrees of freedom (issue 13) --


def test_it_states_the_variance_method_and_the_t_intervals(client):
    english = page(client, "en").select_one("#weighting").get_text(" ", strip=True)
    assert "delete-one jackknife" in english and "the weights calibrated again" in english
    assert "Student's t with the degrees of freedom" in english
    french = page(client, "fr").select_one("#weighting").get_text(" ", strip=True)
    assert "jackknife à un retrait" in french and "loi de Student" in french


def test_the_jackknife_paragraph_leaves_out_only_the_sampled_organisations(client):
    # JKn: the organisations of a cell that answered in full are in every replicate, and the
    # df of a group is at most its organisations that can be left out (not "their number - 1")
    english = page(client, "en").select_one("#weighting").get_text(" ", strip=True)
    assert "leaving out in turn each answering organisation of a type × size cell not " in (english)
    assert "none is left out: the cell has no sampling error" in english
    assert "at most the number of its organisations that can be left out" in english
    assert "leaving out each answering organisation in turn" not in english
    assert "about their number minus 1" not in english
    french = page(client, "fr").select_one("#weighting").get_text(" ", strip=True)
    assert "aucun n'est écarté" in french and "au plus le nombre de ses organismes" in french


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "en",
            (
                "Differences between groups",
                "tested on its own at the 5% level, without correction for multiple "
                "comparisons: even if nothing differed, about one test in twenty",
            ),
        ),
        (
            "fr",
            (
                "Écarts entre groupes",
                "testée isolément au seuil de 5\u202f%, sans correction pour comparaisons "
                "multiples\u202f: même si rien ne différait, environ un test sur vingt",
            ),
        ),
    ],
)
def test_the_page_explains_the_differences_the_sector_page_names(client, language, phrases):
    # the sector page's caveat sends its reader here ("see the method page")
    soup = page(client, language)
    section = soup.select_one("#differences")
    assert section is not None
    assert soup.select_one('nav a[href="#differences"]') is not None
    text = section.get_text(" ", strip=True)
    for phrase in phrases:
        assert phrase in text, phrase


def test_a_published_wave_gives_its_variance_and_degrees_of_freedom(client, computed_wave):
    """This small wave (32 organisations, raked) cannot be calibrated again once one of them is
    left out: its variance fell back to linearisation, and the page says what was used."""
    from barometre.questionnaire import load_questionnaire
    from barometre.simulate import simulate_sector

    sector = simulate_sector(
        load_questionnaire("hlm-2026"), organisations=40, response_rate=0.8, seed=5
    )
    wave = computed_wave(sector, year=2025, then=("publish",))
    # round(0.8 x 40) = 32 organisations answer
    assert wave.estimates.frame.responding_organisations == 32
    assert wave.estimates.method.variance == "linearisation"
    assert wave.estimates.weighting.notes[-1].startswith("jackknife not possible")
    text = page(client, "en").select_one("#weighting").get_text(" ", strip=True)
    assert "The latest published wave: Linearised variance with the finite population" in text
    # linearisation without strata: 32 organisations - 1 = 31 degrees of freedom for the sector
    assert "its responding organisations minus 1; 31 for the sector" in text
    # the fallback is typed in the estimates and said on the page, in both languages, and the
    # margins of error are described as linearised (what the figures are), not as a jackknife
    assert wave.estimates.method.variance_requested == "jackknife"
    assert wave.estimates.method.variance_fallback.startswith("jackknife not possible (")
    assert (
        "The delete-one jackknife was asked for but could not be used: the sample is too "
        "sparse for the calibration to be redone in every replicate." in text
    )
    assert "Its margin of error is estimated by linearisation" in text
    assert "measured by the delete-one jackknife" not in text
    french = page(client, "fr").select_one("#weighting").get_text(" ", strip=True)
    assert "Le jackknife à un retrait était demandé mais n'a pas pu être utilisé" in french
    assert "Sa marge d'erreur est estimée par linéarisation" in french


def _published_with(variance: str):
    """A small wave of the test questionnaire whose methodology asks for `variance`,
    computed and published."""
    from barometre.files import csv_text
    from barometre.organisations import FRAME_COLUMNS
    from barometre.simulate import simulate_sector
    from barometre.web.campaigns.computation import wave_compute
    from barometre.web.campaigns.models import Wave
    from barometre.web.campaigns.services import wave_create, wave_transition
    from tests.helpers import TINY, tiny_questionnaire
    from tests.web.conftest import answer_everything

    text = TINY.replace(
        "title: {fr: Questionnaire de test}",
        "title: {fr: Questionnaire de test}\nmethodology:\n  variance: " + variance,
    )
    sector = simulate_sector(tiny_questionnaire(), organisations=60, seed=5)
    wave = wave_create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=text,
        frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    answer_everything(wave, sector)
    wave = wave_transition(wave=wave, target=Wave.Status.CLOSED)
    wave = wave_compute(wave=wave)
    assert wave.estimates is not None, wave.estimate_problem
    return wave_transition(wave=wave, target=Wave.Status.PUBLISHED)


@pytest.mark.parametrize(
    ("variance", "english", "french"),
    [
        (
            "{method: bootstrap, replicates: 20, seed: 3}",
            "Its margin of error is measured by the bootstrap: the figure is computed again on "
            "many resamples of the answering organisations (Rao-Wu rescaling)",
            "Sa marge d'erreur est mesurée par le bootstrap",
        ),
        (
            "{method: linearisation}",
            "Its margin of error is estimated by linearisation",
            "Sa marge d'erreur est estimée par linéarisation",
        ),
    ],
)
def test_the_margins_of_error_follow_the_published_variance_method(
    client, variance, english, french
):
    wave = _published_with(variance)
    assert wave.status == wave.Status.PUBLISHED
    text = page(client, "en").select_one("#weighting").get_text(" ", strip=True)
    assert english in text
    assert "measured by the delete-one jackknife" not in text
    assert "could not be used" not in text  # the method asked for was used
    assert french in page(client, "fr").select_one("#weighting").get_text(" ", strip=True)
