"""What the command line says about the method actually used: `barometre estimate` when the
jackknife asked for could not be used (its replicates could not be calibrated again, the
variance linearised), and the reports' note naming each shipped library of practice sheets
considered and why none applies (`recommend.library_for`)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.loader import builtin_path
from barometre.recommend import library_for
from barometre.recommend.library import example_library_path

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_estimate_says_the_jackknife_fell_back_to_linearisation(tmp_path: Path):
    # 32 of 40 organisations, raked: with one of them left out the raking has no solution
    run("simulate", "-n", "40", "--seed", "5", "--response-rate", "0.8", "--out", str(tmp_path))
    scores, out = tmp_path / "scores.json", tmp_path / "estimates.json"
    run("score", "-q", "hlm-2026", "-r", str(tmp_path / "responses.csv"), "-o", str(scores))
    output = run("estimate", "--scores", str(scores), "--frame", str(tmp_path / "frame.csv"),
                 "-o", str(out))  # fmt: skip
    assert "  variance: linearisation\n" in output
    assert (
        "  Note: the variance is linearised: the jackknife was requested, but the sample is "
        "too sparse for the calibration to be redone in every replicate (jackknife not "
        "possible (In the replicate weights"
    ) in output
    assert output.count("the variance is linearised") == 1
    method = json.loads(out.read_text(encoding="utf-8"))["method"]
    assert method["variance"] == "linearisation" and method["variance_requested"] == "jackknife"
    assert method["variance_fallback"].startswith("jackknife not possible (")


def test_estimate_says_nothing_of_a_fallback_when_there_is_none(tmp_path: Path):
    run("simulate", "-n", "120", "--seed", "3", "--response-rate", "0.6", "--out", str(tmp_path))
    scores = tmp_path / "scores.json"
    run("score", "-q", "hlm-2026", "-r", str(tmp_path / "responses.csv"), "-o", str(scores))
    output = run("estimate", "--scores", str(scores), "--frame", str(tmp_path / "frame.csv"))
    assert "  variance: jackknife JK" in output
    assert "was requested but" not in output


def _services_renamed(tmp_path: Path) -> Path:
    """example-digital-services with its status table renamed: the example library shipped
    for it triggers on `dem_status`, which no longer exists."""
    text = builtin_path("example-digital-services").read_text(encoding="utf-8")
    assert text.count("  - id: dem_status\n") == 1
    path = tmp_path / "services.yaml"
    path.write_text(text.replace("  - id: dem_status\n", "  - id: dem_suivi\n"), "utf-8")
    return path


def test_the_library_note_names_the_example_library_that_did_not_fit(tmp_path: Path):
    questionnaire = load_questionnaire(_services_renamed(tmp_path))
    choice = library_for(questionnaire)
    assert choice.folder is None and choice.library.sheets == []
    example = example_library_path("example-digital-services")
    assert [(m.folder, m.example) for m in choice.misfits] == [
        (example, True),
        (choice.misfits[1].folder, False),
    ]
    note = choice.note
    assert note.startswith(
        "Note: no library of practice sheets shipped with barometre fits this questionnaire "
        f"(the example library shipped for example-digital-services ({example}) has 1 "
        "problem, the first: "
    )
    assert "suivi-des-demandes" in note and "dem_status" in note
    assert "; the built-in one, written for hlm-2026, has " in note
    assert note.endswith(
        "so the reports have no recommendations. Give a library written for it with --practices."
    )


def test_without_an_example_library_the_note_names_the_built_in_one_only():
    choice = library_for(load_questionnaire("example-data-pathway"))
    assert [m.example for m in choice.misfits] == [False]
    assert "(the built-in one, written for hlm-2026, has " in choice.note
    assert "example library" not in choice.note


def test_the_report_command_prints_that_note(tmp_path: Path):
    questionnaire = _services_renamed(tmp_path)
    run("simulate", "-q", str(questionnaire), "-n", "20", "--out", str(tmp_path))
    scores = tmp_path / "scores.json"
    run("score", "-q", str(questionnaire), "-r", str(tmp_path / "responses.csv"),
        "-o", str(scores))  # fmt: skip
    organisation = json.loads(scores.read_text())["organisations"][0]["organisation_id"]
    result = runner.invoke(
        app,
        [
            "report", "organisation", "--scores", str(scores), "--organisation", organisation,
            "--out", str(tmp_path / "o.html"), "--questionnaire", str(questionnaire),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the example library shipped for example-digital-services" in result.output
