"""The command line: help everywhere, clear errors, nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from tests.helpers import TINY

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [[], ["questionnaire"], ["questionnaire", "validate"], ["simulate"], ["score"], ["demo"]],
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_validate_prints_a_summary():
    result = runner.invoke(app, ["questionnaire", "validate", "hlm-2026"])
    assert result.exit_code == 0, result.output
    assert "8 dimensions" in result.output
    assert "items per kind" in result.output and "axes" in result.output


def test_validate_reports_every_error_and_exits_non_zero(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TINY.replace("dimension: B", "dimension: Z").replace("weight: 2", "weight: -1"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["questionnaire", "validate", str(bad)])
    assert result.exit_code == 2
    assert "unknown dimension 'Z'" in result.output
    assert "greater_than" in result.output
    assert str(bad) in result.output


def test_simulate_then_score(tmp_path: Path):
    out = tmp_path / "sector"
    result = runner.invoke(
        app, ["simulate", "--organisations", "60", "--seed", "7", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        (out / "frame.csv")
        .read_text(encoding="utf-8")
        .startswith("organisation_id,name,organisation_type,dwellings,department\n")
    )
    assert (
        (out / "responses.csv")
        .read_text(encoding="utf-8")
        .startswith("organisation_id,respondent_id,role,item_id,answer\n")
    )
    assert "SYNTHETIC" in (out / "SYNTHETIC.txt").read_text(encoding="utf-8")

    scores = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        [
            "score",
            "--questionnaire",
            "hlm-2026",
            "--responses",
            str(out / "responses.csv"),
            "--out",
            str(scores),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["questionnaire"]["id"] == "hlm-2026"
    assert len(data["organisations"]) == 16  # 27 % of 60
    assert all(o["organisation_id"].startswith("SYN-") for o in data["organisations"])


def test_simulate_is_deterministic(tmp_path: Path):
    for name in ("a", "b"):
        runner.invoke(app, ["simulate", "-n", "40", "--seed", "3", "--out", str(tmp_path / name)])
    for file in ("frame.csv", "responses.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_score_with_bad_input_writes_nothing(tmp_path: Path):
    responses = tmp_path / "r.csv"
    responses.write_text(
        "organisation_id,respondent_id,role,item_id,answer\n"
        "O,R,direction,str_strategy,9\n"
        "O,R,direction,nope,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["score", "--responses", str(responses), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{responses}:2" in result.output and f"{responses}:3" in result.output
    assert "unknown item 'nope'" in result.output
    assert "is not an option of item 'str_strategy'" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [responses]  # no temporary file left behind


def test_score_missing_file(tmp_path: Path):
    result = runner.invoke(app, ["score", "--responses", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.output
