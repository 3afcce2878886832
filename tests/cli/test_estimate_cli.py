"""`barometre estimate` and `barometre compare` on the simulator's files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_next_wave, simulate_sector

runner = CliRunner()
HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def waves(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("waves")
    first = simulate_sector(HLM, organisations=400, seed=11)
    second = simulate_next_wave(HLM, first, seed=12)
    paths = {}
    for name, sector in (("before", first), ("after", second)):
        folder = root / name
        folder.mkdir()
        (folder / "frame.csv").write_text(csv_text(sector.frame[FRAME_COLUMNS]), encoding="utf-8")
        (folder / "responses.csv").write_text(csv_text(sector.responses), encoding="utf-8")
        result = runner.invoke(
            app, ["score", "-r", str(folder / "responses.csv"), "-o", str(folder / "scores.json")]
        )
        assert result.exit_code == 0, result.output
        paths[name] = folder
    return paths


def figures(node):
    """Every figure-like record (a dict with a 'suppressed' key) of an output."""
    if isinstance(node, dict):
        if "suppressed" in node:
            yield node
        for value in node.values():
            yield from figures(value)
    elif isinstance(node, list):
        for value in node:
            yield from figures(value)


def assert_suppression_holds(data):
    for record in figures(data):
        if record["suppressed"]:
            numbers = {
                k: v
                for k, v in record.items()
                if k
                in {
                    "value",
                    "se",
                    "ci_low",
                    "ci_high",
                    "n",
                    "deff",
                    "effective_n",
                    "population",
                    "organisations",
                    "alpha",
                    "omega",
                    "unweighted_value",
                }
            }
            if record.get("suppression") == "complementary":
                # hidden to protect another cell: its counts (at least 5) stay, no figure
                counts = {"n", "population", "organisations"}
                assert all(v is None for k, v in numbers.items() if k not in counts), record
                assert all(record.get(k) is None or record[k] >= 5 for k in ("n", "organisations"))
            else:
                assert all(v is None for v in numbers.values()), record
        elif record.get("n") is not None:
            assert record["n"] >= 5, record


def test_estimate_on_the_simulator_output(waves, tmp_path):
    out = tmp_path / "estimates.json"
    result = runner.invoke(
        app,
        [
            "estimate",
            "--scores",
            str(waves["before"] / "scores.json"),
            "--frame",
            str(waves["before"] / "frame.csv"),
            "--wave-year",
            "2025",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "global index" in result.output and "reliability" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["wave_year"] == 2025
    sector = data["domains"]["sector"][0]
    assert 0 < sector["global"]["ci_low"] < sector["global"]["value"] < sector["global"]["ci_high"]
    assert set(sector["dimensions"]) == {d.id for d in HLM.dimensions}
    assert data["weighting"]["method"] in {"poststratification", "raking"}
    assert len(data["reliability"]) == 8
    assert_suppression_holds(data)


def test_estimate_with_empty_frame_cells(waves, tmp_path):
    frame = pd.read_csv(waves["before"] / "frame.csv", dtype=str, keep_default_na=False)
    scores = json.loads((waves["before"] / "scores.json").read_text(encoding="utf-8"))
    answered = {o["organisation_id"] for o in scores["organisations"]}
    # Big SEM that did not answer: a frame cell with no respondent at all.
    extra = pd.DataFrame(
        {
            "organisation_id": [f"EXTRA-{i}" for i in range(3)],
            "name": "SEM synthétique",
            "organisation_type": "SEM",
            "dwellings": "30000",
            "department": "974",
        }
    )
    sparse = pd.concat([frame, extra])
    path = tmp_path / "frame.csv"
    path.write_text(csv_text(sparse), encoding="utf-8")
    out = tmp_path / "estimates.json"
    result = runner.invoke(
        app,
        [
            "estimate",
            "--scores",
            str(waves["before"] / "scores.json"),
            "--frame",
            str(path),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["weighting"]["method"] == "raking"
    assert_suppression_holds(data)
    assert answered  # the respondents are all in the frame


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X1,Un organisme,HLM,100,75", "unknown organisation type 'HLM'"),
        ("X1,Un organisme,OPH,-5,75", "is negative"),
        ("SYN-0001,Doublon,OPH,100,75", "listed more than once"),
        ("X1,Un organisme,OPH,100,99", "unknown department '99'"),
    ],
)
def test_frame_errors_name_the_line(waves, tmp_path, row, message):
    frame = (waves["before"] / "frame.csv").read_text(encoding="utf-8") + row + "\n"
    path = tmp_path / "frame.csv"
    path.write_text(frame, encoding="utf-8")
    result = runner.invoke(
        app, ["estimate", "--scores", str(waves["before"] / "scores.json"), "--frame", str(path)]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert f"{path}:402" in result.output  # 400 organisations + header, then the bad row


def test_respondents_absent_from_the_frame_are_an_error(waves, tmp_path):
    lines = (waves["before"] / "frame.csv").read_text(encoding="utf-8").splitlines()
    scores = json.loads((waves["before"] / "scores.json").read_text(encoding="utf-8"))
    missing = scores["organisations"][0]["organisation_id"]
    path = tmp_path / "frame.csv"
    path.write_text(
        "\n".join(li for li in lines if not li.startswith(missing + ",")) + "\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["estimate", "--scores", str(waves["before"] / "scores.json"), "--frame", str(path)]
    )
    assert result.exit_code == 2
    assert f"organisation '{missing}' is not in the frame" in result.output


def test_compare_two_waves(waves, tmp_path):
    out = tmp_path / "change.json"
    result = runner.invoke(
        app,
        [
            "compare",
            "--before",
            str(waves["before"] / "scores.json"),
            "--before-frame",
            str(waves["before"] / "frame.csv"),
            "--after",
            str(waves["after"] / "scores.json"),
            "--after-frame",
            str(waves["after"] / "frame.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    change = data["indicators"]["global"]
    # The simulator moves every organisation up: the panel sees it, with a narrower interval
    # than the population change (the overlap's covariance is removed in paired differences).
    assert change["panel"]["value"] > 0
    panel_width = change["panel"]["ci_high"] - change["panel"]["ci_low"]
    population_width = change["population"]["ci_high"] - change["population"]["ci_low"]
    assert panel_width < population_width
    assert_suppression_holds(data)
    # The summary says how the variance was made: hlm-2026's methodology asks the jackknife.
    assert "  variance: jackknife" in result.output
    assert data["method"]["variance"] == "jackknife"


def test_estimate_and_compare_have_help():
    for command in ("estimate", "compare"):
        assert runner.invoke(app, [command, "--help"]).exit_code == 0


@pytest.mark.parametrize(("before_year", "after_year"), [("2025", "2025"), ("2026", "2025")])
def test_compare_refuses_years_in_the_wrong_order(waves, tmp_path, before_year, after_year):
    out = tmp_path / "change.json"
    result = runner.invoke(
        app,
        [
            "compare",
            *("--before", str(waves["before"] / "scores.json")),
            *("--before-frame", str(waves["before"] / "frame.csv")),
            *("--after", str(waves["after"] / "scores.json")),
            *("--after-frame", str(waves["after"] / "frame.csv")),
            *("--before-year", before_year, "--after-year", after_year),
            *("--out", str(out)),
        ],
    )
    assert result.exit_code == 2
    said = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())  # out of Rich's box
    assert f"the earlier wave's year ({before_year}) must come before" in said
    assert "Traceback" not in result.output
    assert not out.exists()
