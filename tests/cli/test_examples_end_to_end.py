"""The built-in example questionnaires through the command line with the defaults, end to
end (simulate → score → estimate → report organisation / sector / wave), never an internal
error; and the library of sheets a report recommends from when none is given
(`recommend.library_for`): the example library shipped for the questionnaire, else the
built-in one when it fits (hlm-2026), else none, said on the command line (a note) and in
the report."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.contracts.scores import ScoresFile
from barometre.files import csv_text
from barometre.questionnaire import load_questionnaire
from barometre.recommend import library_for
from barometre.recommend.library import builtin_library_path, example_library_path
from tests.questionnaire.test_example_questionnaires import SERVICES, table

runner = CliRunner()
EXAMPLES = ("example-data-pathway", "example-digital-services")
NOTE = "no library of practice sheets shipped with barometre fits this questionnaire"
FRENCH = (
    "Pas de recommandations : aucune bibliothèque de fiches de bonnes pratiques écrite pour ce "
    "questionnaire n'a été fournie."
)
ENGLISH = (
    "No recommendations: no library of best-practice sheets written for this questionnaire "
    "was given."
)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert "Internal error" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return result.output


def text_of(path: Path) -> str:
    # the report's French may use no-break spaces before its colons; HTML escapes quotes
    text = html.unescape(path.read_text(encoding="utf-8"))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_example_goes_end_to_end_with_the_defaults(tmp_path: Path, name: str):
    run("simulate", "-q", name, "--out", str(tmp_path))
    scores, estimates = tmp_path / "scores.json", tmp_path / "estimates.json"
    responses, frame = tmp_path / "responses.csv", tmp_path / "frame.csv"
    run("score", "-q", name, "-r", str(responses), "-o", str(scores))
    run("estimate", "--scores", str(scores), "--frame", str(frame), "-o", str(estimates))
    organisation = json.loads(scores.read_text())["organisations"][0]["organisation_id"]
    for language in ("fr", "en"):
        output = run(
            "report", "organisation", "--scores", str(scores), "--organisation", organisation,
            "--out", str(tmp_path / f"org-{language}.html"), "--language", language,
            "--responses", str(responses),
        )  # fmt: skip
        run(
            "report", "sector", "--estimates", str(estimates), "--scores", str(scores),
            "--out", str(tmp_path / f"sector-{language}.html"), "--language", language,
            "--responses", str(responses),
        )  # fmt: skip
        missing = name == "example-data-pathway"  # no library is written for it
        assert (NOTE in output) is missing
        said = FRENCH if language == "fr" else ENGLISH
        assert (said in text_of(tmp_path / f"org-{language}.html")) is missing
        assert (said in text_of(tmp_path / f"sector-{language}.html")) is missing


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_example_wave_of_reports(tmp_path: Path, name: str):
    # a small sector: one PDF per organisation
    run("simulate", "-q", name, "-n", "20", "--response-rate", "0.2", "--out", str(tmp_path))
    scores = tmp_path / "scores.json"
    run("score", "-q", name, "-r", str(tmp_path / "responses.csv"), "-o", str(scores))
    output = run("report", "wave", "--scores", str(scores), "--out", str(tmp_path / "wave"))
    scored = [o for o in ScoresFile.read(scores).organisations if o.scored]
    assert len(list((tmp_path / "wave").glob("*.pdf"))) == len(scored) > 0
    assert (NOTE in output) is (name == "example-data-pathway")


def test_the_example_library_is_the_default_of_its_questionnaire(tmp_path: Path):
    # R triggers mediation-numerique and suivi-des-demandes (worked out by hand in
    # tests/questionnaire/test_example_questionnaires.py), here without --practices
    responses = tmp_path / "responses.csv"
    responses.write_text(csv_text(table(SERVICES)), encoding="utf-8")
    scores = tmp_path / "scores.json"
    q = "example-digital-services"
    run("score", "-q", q, "-r", str(responses), "-o", str(scores))
    report = tmp_path / "R.html"
    output = run(
        "report", "organisation", "--scores", str(scores), "--organisation", "R",
        "--out", str(report), "--language", "en", "--responses", str(responses),
    )  # fmt: skip
    assert NOTE not in output
    shown = text_of(report)
    assert "Let people follow their request online" in shown  # suivi-des-demandes
    assert ENGLISH not in shown


def test_which_library_each_built_in_questionnaire_gets():
    hlm = library_for(load_questionnaire("hlm-2026"))
    assert hlm.folder == builtin_library_path() and not hlm.misfit and not hlm.note
    assert len(hlm.library.sheets) == len(list(builtin_library_path().glob("*.md")))
    services = library_for(load_questionnaire("example-digital-services"))
    assert services.folder == example_library_path("example-digital-services")
    assert sorted(s.id for s in services.library.sheets) == [
        "feuille-de-route",
        "mediation-numerique",
        "suivi-des-demandes",
    ]
    pathway = library_for(load_questionnaire("example-data-pathway"))
    assert pathway.folder is None and pathway.library.sheets == []
    assert pathway.misfit and NOTE in pathway.note


def test_a_library_given_is_still_checked_against_the_questionnaire(tmp_path: Path):
    # the built-in library given for the data pathway: refused with its problems, as before
    run("simulate", "-q", "example-data-pathway", "-n", "20", "--out", str(tmp_path))
    scores = tmp_path / "scores.json"
    run("score", "-q", "example-data-pathway", "-r", str(tmp_path / "responses.csv"),
        "-o", str(scores))  # fmt: skip
    organisation = json.loads(scores.read_text())["organisations"][0]["organisation_id"]
    result = runner.invoke(
        app,
        [
            "report", "organisation", "--scores", str(scores), "--organisation", organisation,
            "--out", str(tmp_path / "o.html"), "--practices", str(builtin_library_path()),
        ],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "unknown_dimension_in_sheet" in result.output
    assert "Internal error" not in result.output
