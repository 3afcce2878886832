"""The file contracts: scores, estimates and wave-change files read back as they were written,
old or foreign files are refused naming the field, scores are rounded so that a score and its
level agree, the committed JSON Schemas are the models', and the frame's column is
`organisation_type`."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.schemas import schema_text
from barometre.contracts.scores import ScoresFile
from barometre.contracts.vocabulary import ORGANISATION_TYPES
from barometre.errors import ContractError, FrameError
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS, check_frame, read_frame
from barometre.questionnaire import load_questionnaire
from barometre.scoring.typology import levels_of
from barometre.simulate import simulate_next_wave, simulate_sector
from tests.helpers import ROOT, one_respondent, score_rows, tiny_questionnaire

HLM = load_questionnaire("hlm-2026")
runner = CliRunner()

FULL = {
    "a_scale": "2",
    "a_single": "y",
    "a_multi": "q|r",
    "a_status.r1": "generalised",
    "a_status.r2": "piloting",
    "a_pct": "35",
    "b_mail": "50",
    "b_sponsor": "yes",
    "b_plan": "draft",
}


@pytest.fixture(scope="module")
def tiny_file() -> ScoresFile:
    rows = one_respondent(FULL, org="O1") + one_respondent({"b_plan": "done"}, org="O2")
    return score_rows(rows).to_file()


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory) -> dict[str, Path]:
    """Two simulated waves through the command line: frames, scores, estimates and change."""
    root = tmp_path_factory.mktemp("contracts")
    first = simulate_sector(HLM, organisations=200, seed=31)
    second = simulate_next_wave(HLM, first, seed=32)
    paths: dict[str, Path] = {}
    for name, sector in (("before", first), ("after", second)):
        frame, responses = root / f"{name}-frame.csv", root / f"{name}-responses.csv"
        frame.write_text(csv_text(sector.frame[FRAME_COLUMNS]), encoding="utf-8")
        responses.write_text(csv_text(sector.responses), encoding="utf-8")
        scores = root / f"{name}-scores.json"
        result = runner.invoke(app, ["score", "-r", str(responses), "-o", str(scores)])
        assert result.exit_code == 0, result.output
        paths[f"{name}_frame"], paths[f"{name}_scores"] = frame, scores
    paths["estimates"] = root / "estimates.json"
    result = runner.invoke(
        app,
        [
            "estimate",
            "--scores",
            str(paths["after_scores"]),
            "--frame",
            str(paths["after_frame"]),
            "--out",
            str(paths["estimates"]),
        ],
    )
    assert result.exit_code == 0, result.output
    paths["change"] = root / "change.json"
    result = runner.invoke(
        app,
        [
            "compare",
            "--before",
            str(paths["before_scores"]),
            "--before-frame",
            str(paths["before_frame"]),
            "--after",
            str(paths["after_scores"]),
            "--after-frame",
            str(paths["after_frame"]),
            "--out",
            str(paths["change"]),
        ],
    )
    assert result.exit_code == 0, result.output
    return paths


# --- (a) reading back what was written ----------------------------------------------------------


def test_a_scores_file_round_trips(tiny_file):
    assert ScoresFile.load(json.loads(tiny_file.dumps()), "x") == tiny_file
    data = tiny_file.to_json()
    assert (data["format"], data["format_version"]) == ("barometre.scores", 2)
    assert "global" in data["organisations"][0] and "global_index" not in data["organisations"][0]


def test_every_file_the_command_line_writes_round_trips(cli_files):
    for model, name in (
        (ScoresFile, "before_scores"),
        (ScoresFile, "after_scores"),
        (EstimatesFile, "estimates"),
        (ChangeFile, "change"),
    ):
        text = cli_files[name].read_text(encoding="utf-8")
        record = model.read(cli_files[name])
        assert record.dumps() == text, name
        assert model.load(json.loads(text), "x") == record, name


def test_the_estimates_file_counts_organisations_by_organisation_type(cli_files):
    estimates = EstimatesFile.read(cli_files["estimates"])
    assert [d.level for d in estimates.domains.of("organisation_type")] == list(ORGANISATION_TYPES)
    assert estimates.frame.responding_organisations == estimates.sector.organisations
    assert estimates.method.suppression.min_organisations == HLM.methodology.disclosure_minimum
    assert {c.organisation_type for c in estimates.weighting.cells} == set(ORGANISATION_TYPES)
    data = json.loads(cli_files["estimates"].read_text(encoding="utf-8"))
    keys = set(_keys(data))
    assert "respondents" not in keys and "family" not in keys
    assert {"organisation_type", "responding_organisations", "min_organisations"} <= keys


def test_the_change_file_gives_each_indicator(cli_files):
    change = ChangeFile.read(cli_files["change"])
    assert change.methodology_version == HLM.methodology.version
    found = change.indicator("global")
    assert found is not None and found.panel.value is not None
    assert change.indicator("no such indicator") is None


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


# --- (b) old and foreign files --------------------------------------------------------------------


def _scores_json(tiny_file) -> dict:
    return json.loads(tiny_file.dumps())


def _locations(data, model=ScoresFile) -> list[str]:
    with pytest.raises(ContractError) as caught:
        model.load(data, "x")
    return [p.location for p in caught.value.problems]


def test_an_estimates_file_is_not_a_scores_file(cli_files):
    data = json.loads(cli_files["estimates"].read_text(encoding="utf-8"))
    with pytest.raises(ContractError) as caught:
        ScoresFile.load(data, "x")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("x: format", "wrong_format")
    assert "barometre.scores" in found.message and "barometre.estimates" in found.message


def test_a_file_without_format_says_the_key_is_missing_not_null():
    with pytest.raises(ContractError) as caught:
        ScoresFile.load({"format_version": 2, "organisations": []}, "x")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("x: format", "format_missing")
    assert found.message == (
        "this is not the file expected (scores file): it has no 'format' key, expected "
        "'format': 'barometre.scores'"
    )
    # a format written as null is a wrong format, said as it is
    with pytest.raises(ContractError) as caught:
        ScoresFile.load({"format": None, "format_version": 2, "organisations": []}, "x")
    assert [p.code for p in caught.value.problems] == ["wrong_format"]


def test_a_file_of_format_version_1_is_refused(tiny_file):
    data = _scores_json(tiny_file)
    data["format_version"] = 1
    with pytest.raises(ContractError) as caught:
        ScoresFile.load(data, "x")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("x: format_version", "unsupported_format_version")


def test_a_missing_field_is_named(tiny_file):
    data = _scores_json(tiny_file)
    del data["organisations"][0]["level"]
    assert _locations(data) == ["x: organisations.0.level"]


def test_a_wrong_value_is_named(tiny_file):
    data = _scores_json(tiny_file)
    data["organisations"][0]["global"] = "high"
    assert _locations(data) == ["x: organisations.0.global"]


def test_reading_a_file_names_it(tiny_file, tmp_path):
    path = tmp_path / "scores.json"
    data = _scores_json(tiny_file)
    data["organisations"][0]["global"] = "high"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        ScoresFile.read(path)
    assert [p.location for p in caught.value.problems] == [f"{path}: organisations.0.global"]


# --- (c), (d) rounding: a score and its level agree -----------------------------------------------

FIFTY_HEADER = """
id: fifty
version: "1"
title: {fr: Cinquante}
roles:
  - {code: direction, label: {fr: Direction}}
dimensions:
  - {id: A, label: {fr: A}}
  - {id: B, label: {fr: B}}
items:
  - id: b1
    kind: yesno
    dimension: B
    axis: transfo
    roles: [direction]
    label: {fr: b}
"""
FIFTY_ITEM = """  - id: ITEM
    kind: single
    dimension: A
    axis: tech
    roles: [direction]
    label: {fr: ITEM}
    options:
      - {code: low, label: {fr: bas}, score: 10}
      - {code: mid, label: {fr: moyen}, score: 40}
      - {code: high, label: {fr: haut}, score: 100}
"""
#: Dimension A has three items scored 10, 40 and 100: its exact score is 50.
FIFTY = FIFTY_HEADER + "".join(FIFTY_ITEM.replace("ITEM", i) for i in ("a1", "a2", "a3"))


def test_a_dimension_of_exactly_fifty_is_written_fifty_and_intermediate():
    answers = {"a1": "low", "a2": "mid", "a3": "high", "b1": "yes"}
    result = score_rows(one_respondent(answers, role="direction"), tiny_questionnaire(FIFTY))
    dimension = result.to_file().organisations[0].dimensions["A"]
    assert (dimension.score, dimension.level) == (50.0, "intermediaire")


def test_a_score_of_fifty_with_a_floating_point_error_is_written_fifty():
    # 10, 40 and 100 weighted 1/3 each: 49.99999999999999 in floating point
    exact = float(np.array([10.0, 40.0, 100.0]) @ np.full(3, 1 / 3))
    assert exact != 50.0
    result = _with_dimension_score(score_rows(one_respondent(FULL)), "A", exact)
    dimension = result.to_file().organisations[0].dimensions["A"]
    assert (dimension.score, dimension.level) == (50.0, "intermediaire")
    written = json.loads(result.to_file().dumps())["organisations"][0]["dimensions"]["A"]
    assert written["score"] == 50.0 and written["level"] == "intermediaire"


def _with_dimension_score(result, dimension: str, score: float):
    """The result with one dimension score replaced and its level assigned as the engine
    assigns it (`levels_of` on the score)."""
    scores = result.dimension_scores.copy()
    scores[dimension] = scores[dimension].astype(float)
    scores.loc[:, dimension] = score
    return dataclasses.replace(
        result,
        dimension_scores=scores,
        dimension_levels=levels_of(scores, result.methodology),
    )


TINY_RESULT = score_rows(one_respondent(FULL))
THRESHOLDS = [level.min for level in TINY_RESULT.methodology.levels]


def _near(threshold: float, halves: int, ulps: int) -> float:
    value = threshold + halves * 5e-11
    for _ in range(abs(ulps)):
        value = math.nextafter(value, math.copysign(math.inf, ulps))
    return min(100.0, max(0.0, value))


#: Scores a few half-steps of the 10th decimal from a level's bound, give or take a few units
#: in the last place: where rounding the level and rounding the file could part.
near_a_threshold = st.builds(
    _near, st.sampled_from(THRESHOLDS), st.sampled_from([-3, -1, 1, 3]), st.integers(-2, 2)
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.floats(0, 100), near_a_threshold))
@example(49.99999999949)  # written 49.9999999995
@example(49.99999999995)  # half-way at the 10th decimal
@example(24.99999999995)
def test_the_written_score_and_the_written_level_agree(score):
    result = _with_dimension_score(TINY_RESULT, "A", score)
    written = result.to_file().organisations[0].dimensions["A"]
    assert written.score is not None
    again = levels_of(pd.Series([written.score]), result.methodology).iloc[0]
    assert again == written.level, (score, written.score, written.level)


# --- JSON Schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scores", "estimates", "change"])
def test_the_committed_schemas_are_the_models(name):
    committed = ROOT / "docs" / "schemas" / f"{name}.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(name), (
        f"{committed} is out of date: run python -m barometre.contracts.schemas docs/schemas"
    )


def test_every_file_the_command_line_writes_validates_against_its_schema(cli_files):
    """An independent validator (jsonschema) reads the published schemas as another tool
    would, and accepts what the commands write, and refuses a broken file."""
    import jsonschema

    for name, schema in (
        ("before_scores", "scores"),
        ("after_scores", "scores"),
        ("estimates", "estimates"),
        ("change", "change"),
    ):
        published = json.loads((ROOT / "docs" / "schemas" / f"{schema}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(published)
        validator = jsonschema.Draft202012Validator(published)
        data = json.loads(cli_files[name].read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (name, errors[:5])
    scores = json.loads(cli_files["after_scores"].read_text(encoding="utf-8"))
    scores["organisations"][0]["global"] = "high"
    scores["organisations"][0]["context"]["organisation_type"] = "HLM"
    del scores["format_version"]
    published = json.loads((ROOT / "docs" / "schemas" / "scores.schema.json").read_text())
    errors = list(jsonschema.Draft202012Validator(published).iter_errors(scores))
    assert len(errors) == 3


# --- (f) the frame's column is organisation_type ----------------------------------------------


def test_a_frame_with_the_old_family_column_names_the_new_one(tmp_path):
    path = tmp_path / "frame.csv"
    path.write_text(
        "organisation_id,name,family,dwellings,department\nX1,Un organisme,OPH,100,75\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameError) as caught:
        read_frame(path)
    [found] = caught.value.problems
    assert found.code == "renamed_column"
    assert "organisation_type" in found.message and "'family'" in found.message


def test_a_frame_table_with_the_old_family_column_names_the_new_one():
    table = pd.DataFrame(
        {
            "organisation_id": ["X1"],
            "name": ["Un organisme"],
            "family": ["OPH"],
            "dwellings": [100],
            "department": ["75"],
        }
    )
    with pytest.raises(FrameError) as caught:
        check_frame(table)
    assert [p.code for p in caught.value.problems] == ["renamed_column_in_table"]
    assert "organisation_type" in caught.value.problems[0].message


def test_a_frame_table_without_lines_is_located_by_row():
    table = pd.DataFrame(
        {
            "organisation_id": ["X1", "X2"],
            "name": ["Un organisme", "Un autre"],
            "organisation_type": ["OPH", "HLM"],
            "dwellings": [100, 200],
            "department": ["75", "59"],
        }
    )
    with pytest.raises(FrameError) as caught:
        check_frame(table, "frame")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("frame row 1", "unknown_organisation_type")
    assert "HLM" in found.message


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        # a tab inside a string: the 10th character, after {"a": " (7 characters) and ab
        ('{"a": "ab\tc"}', 1, "Invalid control character at column 10"),
        # a file cut short: the string opened at the 15th character of line 2 (4 spaces,
        # "format" in 8, the colon, a space) never closes
        ('{\n    "format": "barometre.scores', 2, "Unterminated string starting at column 15"),
        ('{"a": }', 1, "Expecting value (column 7)"),
    ],
)
def test_a_broken_json_file_is_named_with_its_line_and_column(tmp_path, text, line, reason):
    path = tmp_path / "scores.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        ScoresFile.read(path)
    (found,) = caught.value.problems
    assert found.location == f"{path}:{line}"
    assert found.message == f"not valid JSON: {reason}"
