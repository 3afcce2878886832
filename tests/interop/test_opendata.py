"""The open data package of a wave (docs/opendata.md): a valid Frictionless Data Package whose
figures are the estimates file's, read here from the JSON itself (not through the models), with
the figures the public page hides left empty; the same inputs give the same bytes; a bad input
writes nothing.

Synthetic data: two simulated waves of 150 organisations (seeds 21 and 22), estimated with the
built-in questionnaire; the frame's small regions are suppressed (primary suppression).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

import frictionless
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile, Figure
from barometre.errors import InputError
from barometre.interop.opendata import (
    LICENCE_PATH,
    datapackage_files,
    datapackage_zip_bytes,
    descriptor_schema_text,
    published,
    write_datapackage,
)
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.loader import builtin_path
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave

HLM = load_questionnaire("hlm-2026")
HLM_YAML = builtin_path("hlm-2026").read_text(encoding="utf-8")
CLOSED = datetime.fromisoformat("2026-06-30T18:00:00+00:00")
FIGURE_COLUMNS = ("valeur", "erreur_type", "ic_bas", "ic_haut")


@pytest.fixture(scope="module")
def wave() -> tuple[EstimatesFile, ChangeFile]:
    first = simulate_sector(HLM, organisations=150, response_rate=0.7, seed=21)
    second = simulate_sector(HLM, organisations=150, response_rate=0.7, seed=22)
    before = score_responses(HLM, first.responses, source="wave 2025").to_file()
    after = score_responses(HLM, second.responses, source="wave 2026").to_file()
    estimates = estimate_wave(after, second.frame, HLM, wave_year=2026)
    change = compare_wave_scores(
        before, first.frame, after, second.frame, HLM, before_year=2025, after_year=2026
    )
    return estimates, change


@pytest.fixture(scope="module")
def package(wave, tmp_path_factory) -> Path:
    estimates, change = wave
    out = tmp_path_factory.mktemp("opendata") / "paquet"
    write_datapackage(estimates, HLM, out, change=change, created=CLOSED, synthetic=True)
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_package_validates_with_frictionless(package):
    report = frictionless.validate(package / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_a_wrong_figure_or_a_changed_byte_does_not_validate(package, tmp_path):
    """The validation can fail: a score above 100 breaks its constraint, a changed file its
    hash, a group unknown to domaines.csv its foreign key."""
    copy = tmp_path / "copie"
    copy.mkdir()
    for path in package.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    scores = copy / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("valeur")] = "100.5"
    first[header.index("groupe")] = "nulle-part"
    scores.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    report = frictionless.validate(copy / "datapackage.json")
    errors = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid
    assert {"constraint-error", "hash-count", "foreign-key"} <= errors


def test_the_descriptor_names_the_licence_the_wave_and_its_versions(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"] == [
        {
            "name": "etalab-2.0",
            "title": "Licence Ouverte / Open Licence 2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
    ]
    assert descriptor["name"] == "barometre-maturite-numerique-hlm-2026"
    assert descriptor["version"] == "2026+questionnaire.2026.1.methodologie.1.0"
    assert descriptor["created"] == "2026-06-30T18:00:00Z"  # the wave's closing, not the clock
    names = [r["name"] for r in descriptor["resources"]]
    assert names == [
        "domaines",
        "scores",
        "parts",
        "evolution",
        "questionnaire",
        "questionnaire-xlsform",
        "methodologie",
    ]
    scores = descriptor["resources"][1]["schema"]
    assert scores["missingValues"] == [""]
    assert scores["primaryKey"] == ["domaine", "groupe", "indicateur"]
    value = next(f for f in scores["fields"] if f["name"] == "valeur")
    assert value["title"] == "Score" and value["unit"] == "points (0-100)"
    assert value["constraints"] == {"minimum": 0, "maximum": 100}
    share = next(f for f in descriptor["resources"][2]["schema"]["fields"] if f["name"] == "part")
    assert share["title"] == "Part des organismes" and share["title_en"] == "Share of organisations"
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert readme.index("Secret statistique") < readme.index("Disclosure control")
    assert "Données synthétiques" in readme and "Synthetic data" in readme
    assert LICENCE_PATH in readme


def figure_of(data: dict, variable: str, level: str, indicator: str) -> dict:
    """The figure in the estimates JSON, found by hand: global, axes, then dimensions."""
    domain = next(d for d in data["domains"][variable] if d["level"] == level)
    if indicator == "global":
        return domain["global"]
    if indicator in ("tech", "transfo"):
        return domain["axes"][indicator]
    return domain["dimensions"][indicator]


def shown_on_the_page(figure: dict) -> bool:
    """The public page's rule, written out: a number only when not suppressed and with a
    value and both ends of its interval."""
    return not figure["suppressed"] and all(
        figure[k] is not None for k in ("value", "ci_low", "ci_high")
    )


def test_every_score_is_the_estimates_files_or_empty_when_the_page_hides_it(wave, package):
    data = json.loads(wave[0].dumps())
    table = rows(package / "scores.csv")
    groups = sum(len(data["domains"][v]) for v in data["domains"])
    assert len(table) == groups * (3 + 8)  # global, two axes and eight dimensions
    hidden = 0
    for row in table:
        figure = figure_of(data, row["domaine"], row["groupe"], row["indicateur"])
        assert row["n"] == ("" if figure["n"] is None else str(figure["n"]))
        if shown_on_the_page(figure):
            assert row["masque"] == "false" and row["motif_masque"] == ""
            assert float(row["valeur"]) == figure["value"]
            assert float(row["erreur_type"]) == figure["se"]
            assert float(row["ic_bas"]) == figure["ci_low"]
            assert float(row["ic_haut"]) == figure["ci_high"]
        else:
            hidden += 1
            assert row["masque"] == "true"
            assert row["motif_masque"] == (figure["suppression"] or "primary")
            assert [row[c] for c in FIGURE_COLUMNS] == ["", "", "", ""]
    assert hidden > 0  # the small regions
    region = next(r for r in table if r["domaine"] == "region" and r["masque"] == "true")
    domain = next(d for d in data["domains"]["region"] if d["level"] == region["groupe"])
    assert domain["organisations"] is None or domain["organisations"] < 5


def test_every_share_is_the_estimates_files(wave, package):
    data = json.loads(wave[0].dumps())
    table = rows(package / "parts.csv")
    assert {r["classement"] for r in table} == {"level", "family"}
    for row in table:
        domain = next(d for d in data["domains"][row["domaine"]] if d["level"] == row["groupe"])
        key = "level" if row["classement"] == "level" else "typology"
        figure = domain["shares"][key][row["categorie"]]
        if shown_on_the_page(figure):
            assert 0 <= float(row["part"]) <= 1
            assert (float(row["part"]), float(row["ic_bas"])) == (
                figure["value"],
                figure["ci_low"],
            )
        else:
            assert row["part"] == "" and row["masque"] == "true"
    sector = [r for r in table if r["domaine"] == "sector" and r["classement"] == "family"]
    assert [r["categorie"] for r in sector] == ["pionnier", "timide", "conservateur", "prudent"]
    assert sector[0]["categorie_libelle"] == "Pionniers"


def test_the_domains_and_the_change_are_the_files(wave, package):
    estimates, change = wave
    data = json.loads(estimates.dumps())
    domains = rows(package / "domaines.csv")
    assert domains[0]["groupe_libelle"] == "Ensemble du secteur"
    assert domains[0]["groupe_libelle_en"] == "Whole sector"
    for row in domains:
        domain = next(d for d in data["domains"][row["domaine"]] if d["level"] == row["groupe"])
        expected = "" if domain["organisations"] is None else str(domain["organisations"])
        assert row["organismes_repondants"] == expected
        assert row["masque"] == ("true" if domain["suppressed"] else "false")
    changes = json.loads(change.dumps())["indicators"]
    table = rows(package / "evolution.csv")
    # the page shows the global index and the dimensions (not the axes), sector and panel
    assert [r["indicateur"] for r in table[::2]] == ["global", *data["indicators"]["dimensions"]]
    for row in table:
        difference = changes[row["indicateur"]][row["mesure"]]
        assert row["vague_precedente"] == "2025"
        if difference["suppressed"]:
            assert row["variation"] == ""
        else:
            assert float(row["variation"]) == difference["value"]


def test_the_same_wave_gives_the_same_bytes(wave, tmp_path):
    estimates, change = wave
    first = datapackage_zip_bytes(estimates, HLM, change=change, created=CLOSED)
    again = datapackage_zip_bytes(estimates, HLM, change=change, created=CLOSED)
    assert first == again
    write_datapackage(estimates, HLM, tmp_path / "a", change=change, created=CLOSED)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        prefix = "barometre-maturite-numerique-hlm-2026/"
        for name in names:
            assert (tmp_path / "a" / name.removeprefix(prefix)).read_bytes() == archive.read(name)
        assert archive.getinfo(names[0]).date_time == (2026, 6, 30, 18, 0, 0)


def test_a_bad_input_lists_every_problem_and_writes_nothing(wave, tmp_path):
    estimates, change = wave
    no_year = estimates.model_copy(update={"wave_year": None})
    other = HLM.model_copy(update={"version": "2027.1"})
    full = tmp_path / "plein"
    full.mkdir()
    (full / "autre.txt").write_text("déjà là", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_datapackage(no_year, other, full, change=change, source="e.json")
    codes = [(p.location, p.code) for p in caught.value.problems]
    assert codes == [
        ("e.json: wave_year", "opendata_no_wave_year"),
        ("e.json: questionnaire", "opendata_other_questionnaire"),
        ("e.json: change", "opendata_other_wave_change"),
        (str(full), "opendata_out_not_empty"),
    ]
    assert [p.name for p in full.iterdir()] == ["autre.txt"]
    assert list(tmp_path.iterdir()) == [full]  # no temporary folder left
    with pytest.raises(InputError):
        write_datapackage(estimates, HLM, full, zipped=True)  # a folder is not a ZIP file
    assert list(tmp_path.iterdir()) == [full]


FIGURES = st.lists(st.integers(0, 10_000), min_size=1, max_size=12)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=FIGURES, kinds=st.lists(st.sampled_from(["primary", "complementary"]), min_size=12))
def test_any_suppression_pattern_empties_exactly_those_figures(wave, picks, kinds):
    """Whatever figures the estimate suppresses (primary: no n; complementary: n kept), the
    package empties exactly those and keeps every other number."""
    estimates = wave[0]
    data = json.loads(estimates.dumps())
    cells = [
        (variable, i, key)
        for variable, domains in data["domains"].items()
        for i, domain in enumerate(domains)
        for key in domain["dimensions"]
    ]
    chosen = {cells[p % len(cells)]: kind for p, kind in zip(picks, kinds, strict=False)}
    for (variable, i, key), kind in chosen.items():
        figure = data["domains"][variable][i]["dimensions"][key]
        n = figure["n"] if kind == "complementary" else None
        figure.update(
            {k: None for k in ("value", "se", "ci_low", "ci_high", "deff", "effective_n", "n")}
        )
        figure.update({"suppressed": True, "suppression": kind, "n": n})
    changed = EstimatesFile.load(data, "hypothesis")
    with patch("barometre.interop.opendata.package.questionnaire_xlsform", return_value=None):
        built = datapackage_files(changed, HLM, questionnaire_yaml=HLM_YAML)
    table = list(csv.DictReader(io.StringIO(built.files["scores.csv"].decode("utf-8"))))
    for row in table:
        figure = figure_of(data, row["domaine"], row["groupe"], row["indicateur"])
        empty = [row[c] for c in FIGURE_COLUMNS] == ["", "", "", ""]
        assert empty == (not shown_on_the_page(figure))
        assert empty == (not published(Figure.model_validate(figure)))
        if empty:
            assert row["motif_masque"] == (figure["suppression"] or "primary")
            assert row["n"] == ("" if figure["n"] is None else str(figure["n"]))


SCHEMA = Path(__file__).parents[2] / "docs/schemas/opendata-datapackage.schema.json"


def test_the_committed_schema_is_the_models_and_the_descriptor_follows_it(package):
    assert SCHEMA.read_text(encoding="utf-8") == descriptor_schema_text(), (
        "run python -m barometre.interop.opendata docs/schemas/opendata-datapackage.schema.json"
    )
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    jsonschema.validate(descriptor, json.loads(SCHEMA.read_text(encoding="utf-8")))
    descriptor["resources"][0]["schema"]["fields"][0]["colour"] = "bleu"  # not a property
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(descriptor, json.loads(SCHEMA.read_text(encoding="utf-8")))
