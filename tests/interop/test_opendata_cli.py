"""`barometre export opendata` (docs/opendata.md): a folder or a ZIP that frictionless
validates; a bad input gets every problem with its location, exit status 2, and nothing is
written. Synthetic data: a simulated wave of 60 organisations (seed 5)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave

runner = CliRunner()
HLM = load_questionnaire("hlm-2026")
BUILTIN = Path(__file__).parents[2] / "src/barometre/content/questionnaires/hlm-2026.yaml"


@pytest.fixture(scope="module")
def estimates(tmp_path_factory) -> Path:
    sector = simulate_sector(HLM, organisations=60, response_rate=0.7, seed=5)
    scores = score_responses(HLM, sector.responses, source="synthetic").to_file()
    path = tmp_path_factory.mktemp("wave") / "estimates.json"
    path.write_text(estimate_wave(scores, sector.frame, HLM, wave_year=2026).dumps())
    return path


def run(*args: str):
    return runner.invoke(app, ["export", "opendata", *args])


def test_help_names_every_option():
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--estimates", "--out", "--questionnaire", "--change", "--zip", "--created"):
        assert option in result.output


def test_it_writes_a_folder_that_validates(estimates, tmp_path):
    out = tmp_path / "donnees"
    result = run("--estimates", str(estimates), "--out", str(out), "--created", "2026-06-30")
    assert result.exit_code == 0, result.output
    assert "scores.csv" in result.output
    assert frictionless.validate(out / "datapackage.json").valid
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["created"] == "2026-06-30T00:00:00Z"
    # the built-in questionnaire's own file, as it was run
    assert (out / "questionnaire.yaml").read_bytes() == BUILTIN.read_bytes()


def test_it_writes_a_zip_that_validates(estimates, tmp_path):
    out = tmp_path / "donnees.zip"
    result = run("--estimates", str(estimates), "--out", str(out), "--zip")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "ouvert")
    folder = tmp_path / "ouvert" / "barometre-maturite-numerique-hlm-2026"
    assert frictionless.validate(folder / "datapackage.json").valid


def test_every_problem_is_listed_and_nothing_is_written(tmp_path):
    full = tmp_path / "plein"
    full.mkdir()
    (full / "x.txt").write_text("x")
    bad = tmp_path / "estimations.json"
    bad.write_text('{"format": "barometre.estimates", "format_version": 2}', encoding="utf-8")
    result = run(
        "--estimates", str(bad), "--out", str(full), "--created", "30/06/2026",
        "--change", str(tmp_path / "absent.json"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"{bad}: " in result.output  # the estimates file's fields, each with its location
    assert f"{tmp_path / 'absent.json'}: no such file [file_not_found]" in result.output
    assert "--created: '30/06/2026' is not a date" in result.output
    assert f"{full}: already exists and is not an empty folder" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["estimations.json", "plein"]
    assert [p.name for p in full.iterdir()] == ["x.txt"]


def test_a_questionnaire_of_another_wave_is_refused(estimates, tmp_path):
    other = tmp_path / "autre.yaml"
    other.write_text(
        BUILTIN.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2027.1"', 1),
        encoding="utf-8",
    )
    out = tmp_path / "donnees"
    result = run("--estimates", str(estimates), "--out", str(out), "-q", str(other))
    assert result.exit_code == 2, result.output
    assert "[opendata_other_questionnaire]" in result.output
    assert not out.exists()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_any_broken_estimates_file_exits_2_and_writes_nothing(tmp_path_factory, junk):
    folder = tmp_path_factory.mktemp("junk")
    source = folder / "e.json"
    source.write_bytes(junk)
    result = run("--estimates", str(source), "--out", str(folder / "out"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    assert [p.name for p in folder.iterdir()] == ["e.json"]
