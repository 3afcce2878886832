"""`barometre export`: the contract the checks use (docs/exports.md). Help everywhere, every
problem with its location and exit status 2, nothing written then; the pseudonyms' key from
the environment, else derived from the responses file.

Synthetic data: a simulated sector of 40 organisations (seed 7), every one answering with two
respondents, scored and estimated with the built-in questionnaire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.interop.exports import derived_key, pseudonym

runner = CliRunner()


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wave")
    for command in (
        ["simulate", "-n", "40", "--seed", "7", "--response-rate", "1", "--respondents", "2",
         "--out", str(folder)],
        ["score", "-r", str(folder / "responses.csv"), "--out", str(folder / "scores.json")],
        ["estimate", "--scores", str(folder / "scores.json"), "--frame",
         str(folder / "frame.csv"), "--out", str(folder / "estimates.json")],
    ):  # fmt: skip
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    return folder


def export(wave: Path, *options: str, env: dict[str, str] | None = None):
    return runner.invoke(
        app,
        ["export", "--scores", str(wave / "scores.json"), *options],
        env=env or {"BAROMETRE_PSEUDONYM_KEY": ""},
    )


@pytest.mark.parametrize("command", [["export"], ["export", "opendata"]])
def test_export_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_every_missing_option_is_told_at_once():
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 2
    for option in ("--scores", "--format", "--out"):
        assert f"the option {option} is required to export [export_missing_option]" in (
            result.output
        )


def test_the_estimates_table_has_the_figures_of_the_estimates_file(wave, tmp_path):
    out = tmp_path / "estimates.csv"
    result = export(
        wave, "--estimates", str(wave / "estimates.json"), "--table", "estimates",
        "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    raw = json.loads((wave / "estimates.json").read_text(encoding="utf-8"))
    sector = raw["domains"]["sector"][0]
    # domain_variable 1 is the sector; indicators 1, 2, 3 the global index and the two axes
    # (see the codebook); the first one with a figure is compared.
    figures = [sector["global"], sector["axes"]["tech"], sector["axes"]["transfo"]]
    indicator, figure = next((i, f) for i, f in enumerate(figures, 1) if f["value"] is not None)
    row = table[(table["domain_variable"] == 1) & (table["indicator"] == indicator)].iloc[0]
    assert row["estimate"] == pytest.approx(figure["value"], abs=1e-9)
    assert row["se"] == pytest.approx(figure["se"], abs=1e-9)
    assert row["n"] == figure["n"]
    # A suppressed figure carries no number in the export either.
    suppressed = table[table["suppressed"] == 1]
    assert suppressed["estimate"].isna().all()


def test_the_key_comes_from_the_environment_else_from_the_responses_file(wave, tmp_path):
    responses = wave / "responses.csv"
    first_id = pd.read_csv(responses, dtype=str)["respondent_id"].iloc[0]
    out = tmp_path / "r.csv"
    base = ("--responses", str(responses), "--table", "responses-long", "--format", "csv")
    result = export(wave, *base, "--out", str(out), env={"BAROMETRE_PSEUDONYM_KEY": "s3cret"})
    assert result.exit_code == 0, result.output
    exported = set(pd.read_csv(out, dtype=str)["respondent"])
    assert pseudonym(first_id, b"s3cret") in exported
    result = export(wave, *base, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "key derived from" in result.output
    exported = set(pd.read_csv(out, dtype=str)["respondent"])
    assert pseudonym(first_id, derived_key(responses.read_bytes())) in exported
    assert first_id not in out.read_text(encoding="utf-8")


def test_xlsx_exports_every_available_table_by_default(wave, tmp_path):
    out = tmp_path / "wave.xlsx"
    result = export(wave, "--responses", str(wave / "responses.csv"), "--format", "xlsx",
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "organisations, items, responses, responses-long" in result.output


def test_a_referent_export_from_the_command_line(wave, tmp_path):
    out = tmp_path / "one.sav"
    organisation = json.loads((wave / "scores.json").read_text())["organisations"][3]
    result = export(
        wave, "--responses", str(wave / "responses.csv"), "--organisation",
        organisation["organisation_id"], "--table", "responses", "--format", "sav",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame, _ = pyreadstat.read_sav(out)
    assert set(frame["organisation_id"]) == {organisation["organisation_id"]}
    assert len(frame) == organisation["n_respondents"]


def test_bad_input_exits_2_with_every_problem_and_writes_nothing(wave, tmp_path):
    bad = tmp_path / "responses.csv"
    lines = (wave / "responses.csv").read_text(encoding="utf-8").splitlines()
    organisation, respondent, role = lines[1].split(",")[:3]
    lines += [
        f"{organisation},{respondent},{role},no_such_item,1",
        f"{organisation},{respondent},nobody,str_strategy,1",
    ]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.dta"
    result = export(wave, "--responses", str(bad), "--table", "responses", "--format", "dta",
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 2
    assert f"{bad}:{len(lines) - 1}: " in result.output and "[unknown_item]" in result.output
    assert f"{bad}:{len(lines)}: " in result.output and "[unknown_role]" in result.output
    assert not out.exists()
    result = export(wave, "--table", "responses", "--format", "csv", "--out", str(out))
    assert result.exit_code == 2 and "[export_needs_responses]" in result.output
    result = export(wave, "--format", "csv", "--table", "nope", "--out", str(out))
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == [bad]
