"""The codes of the open data package and what its descriptor says of them (docs/opendata.md):
every coded field lists its codes as `enum` and `categories` with French and English labels;
the interval's method is a code, not English prose; the counts of a group hidden by
complementary suppression stay and the descriptor says so; the public page's rule is one
function (`barometre.publication`).

Synthetic data: a simulated wave of 120 organisations (seed 31), estimated with the built-in
questionnaire; a size class is then hidden by hand as complementary suppression.
"""

from __future__ import annotations

import csv
import io
import json
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.contracts.estimates import EstimatesFile, Figure
from barometre.errors import InputError
from barometre.interop.opendata import datapackage_files
from barometre.publication import SYNTHETIC_PREFIX, hidden_reason, published, synthetic_ids
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.loader import builtin_path
from barometre.scoring import score_responses
from barometre.simulate import SYNTHETIC_PREFIX as SIMULATED_PREFIX
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave

HLM = load_questionnaire("hlm-2026")
HLM_YAML = builtin_path("hlm-2026").read_text(encoding="utf-8")
NUMBERS = ("value", "se", "ci_low", "ci_high", "deff", "effective_n")


@pytest.fixture(scope="module")
def data() -> dict:
    """The estimates JSON with the size class <1500 hidden as complementary suppression (its
    counts and its figures' n kept, as `stats/sector/disclosure.py` writes them)."""
    sector = simulate_sector(HLM, organisations=120, response_rate=0.7, seed=31)
    scores = score_responses(HLM, sector.responses, source="wave 2026").to_file()
    data = json.loads(estimate_wave(scores, sector.frame, HLM, wave_year=2026).dumps())
    domain = next(d for d in data["domains"]["size_class"] if d["level"] == "<1500")
    domain.update({"suppressed": True, "suppression": "complementary"})
    figures = [domain["global"], *domain["axes"].values(), *domain["dimensions"].values()]
    figures += [*domain["shares"]["level"].values(), *domain["shares"]["typology"].values()]
    for figure in figures:
        figure.update({k: None for k in NUMBERS})
        figure.update({"suppressed": True, "suppression": "complementary", "ci_method": None})
    return data


def build(data: dict):
    with patch("barometre.interop.opendata.package.questionnaire_xlsform", return_value=None):
        return datapackage_files(EstimatesFile.load(data, "test"), HLM, questionnaire_yaml=HLM_YAML)


def table(built, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(built.files[name].decode("utf-8"))))


def fields(built, resource: str) -> dict[str, dict]:
    descriptor = json.loads(built.files["datapackage.json"])
    schema = next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]
    return {f["name"]: f for f in schema["fields"]}


def test_a_complementary_group_keeps_its_counts_and_the_descriptor_says_so(data):
    built = build(data)
    row = next(r for r in table(built, "domaines.csv") if r["groupe"] == "<1500")
    domain = next(d for d in data["domains"]["size_class"] if d["level"] == "<1500")
    assert (row["masque"], row["motif_masque"]) == ("true", "complementary")
    assert row["organismes_cadre"] == str(domain["population"]) != ""
    assert row["organismes_repondants"] == str(domain["organisations"]) != ""
    described = fields(built, "domaines")
    for name in ("organismes_cadre", "organismes_repondants"):
        text = described[name]["description"]
        assert "empty when the group is suppressed" not in text
        assert "secret secondaire" in text and "complementary suppression" in text
    # a figure of the group: value, SE, interval and method empty, n kept (as on the page)
    score = next(
        r
        for r in table(built, "scores.csv")
        if r["groupe"] == "<1500" and r["indicateur"] == "global"
    )
    assert [score[c] for c in ("valeur", "erreur_type", "ic_bas", "ic_haut", "methode_ic")] == [
        ""
    ] * 5
    assert score["n"] == str(domain["global"]["n"]) != ""
    assert "n reste pour un secret secondaire" in fields(built, "scores")["masque"]["description"]


CODED = {
    "domaines": ("domaine", "motif_masque"),
    "scores": ("domaine", "methode_ic", "motif_masque"),
    "parts": ("domaine", "classement", "methode_ic", "motif_masque"),
}


def test_every_coded_value_is_a_category_with_french_and_english_labels(data):
    built = build(data)
    for resource, coded in CODED.items():
        described = fields(built, resource)
        rows = table(built, f"{resource}.csv")
        for name in coded:
            field = described[name]
            codes = [c["value"] for c in field["categories"]]
            assert field["constraints"]["enum"] == codes
            for category in field["categories"]:
                assert category["label"] and category["label_en"]
                assert category["label"] != category["label_en"]
            assert {r[name] for r in rows} - {""} <= set(codes), (resource, name)
    assert [c["value"] for c in fields(built, "scores")["domaine"]["categories"]] == [
        "sector",
        "organisation_type",
        "size_class",
        "region",
    ]


def test_the_whole_sector_is_domain_sector_group_all_as_in_the_estimates_file(data):
    """The estimates file keys the whole sector `domains.sector`, its one group `all`; the
    package keeps both codes (as the exports do)."""
    assert [d["level"] for d in data["domains"]["sector"]] == ["all"]
    rows = [r for r in table(build(data), "domaines.csv") if r["domaine"] == "sector"]
    assert [(r["groupe"], r["groupe_libelle"]) for r in rows] == [("all", "Ensemble du secteur")]


def test_the_interval_method_is_a_code_of_the_estimates_method(data):
    """Means: a Wald interval with Student's t at the design's degrees of freedom; shares:
    logit, or Korn-Graubard at 0 or 1 (docs/statistics.md)."""
    built = build(data)
    expected = {
        "wald (student)": "wald-student",
        "logit": "logit",
        "korn-graubard (share at a bound)": "korn-graubard-borne",
    }
    sector = data["domains"]["sector"][0]
    score = next(r for r in table(built, "scores.csv") if r["domaine"] == "sector")
    assert sector["global"]["ci_method"] == "wald (student)"
    assert score["methode_ic"] == "wald-student"
    for row in table(built, "parts.csv"):
        if row["masque"] == "true":
            assert row["methode_ic"] == ""
            continue
        domain = next(d for d in data["domains"][row["domaine"]] if d["level"] == row["groupe"])
        kind = "level" if row["classement"] == "level" else "typology"
        assert row["methode_ic"] == expected[domain["shares"][kind][row["categorie"]]["ci_method"]]


def test_an_unknown_interval_method_is_a_problem(data):
    changed = json.loads(json.dumps(data))
    changed["domains"]["sector"][0]["global"]["ci_method"] = "bootstrap"
    with pytest.raises(InputError) as caught:
        build(changed)
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("estimates file: ci_method", "opendata_unknown_ci_method")
    ]
    assert "bootstrap" in caught.value.problems[0].message


FIGURE = st.fixed_dictionaries(
    {
        "suppressed": st.booleans(),
        "suppression": st.sampled_from([None, "primary", "complementary"]),
        "value": st.one_of(st.none(), st.floats(0, 100)),
        "ci_low": st.one_of(st.none(), st.floats(0, 100)),
        "ci_high": st.one_of(st.none(), st.floats(0, 100)),
    }
)


@given(FIGURE)
def test_the_rule_of_the_page_written_out(figure):
    """Shown: not suppressed, a value and both ends of the interval; hidden otherwise,
    complementary only when the estimate says so."""
    shown = not figure["suppressed"] and None not in (
        figure["value"],
        figure["ci_low"],
        figure["ci_high"],
    )
    model = Figure.model_validate(figure)
    assert published(model) == shown
    if shown:
        assert hidden_reason(model) is None
    else:
        assert hidden_reason(model) == (
            "complementary" if figure["suppression"] == "complementary" else "primary"
        )
    assert not published(None) and hidden_reason(None) == "primary"


def test_synthetic_data_are_read_from_the_ids():
    assert SYNTHETIC_PREFIX == SIMULATED_PREFIX
    assert synthetic_ids(["SYN-0001", "SYN-0002"])
    assert not synthetic_ids(["SYN-0001", "HLM-12"])
    assert not synthetic_ids([])
