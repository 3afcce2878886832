"""`barometre export`: every problem of the inputs and of `--out` at once, the estimates
checked against the scores' wave, no sector estimates in a referent's export
(docs/exports.md).

Synthetic data: two simulated sectors of 40 organisations (seeds 7 and 8), every one
answering with two respondents, scored and estimated with the built-in questionnaire.
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.export import out_problems
from barometre.cli.main import app
from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.interop.exports import FORMAT_SUFFIX, FORMATS, estimates_problems
from barometre.problems import Code
from tests.helpers import ROOT

runner = CliRunner()


def make_wave(folder: Path, seed: int) -> Path:
    for command in (
        ["simulate", "-n", "40", "--seed", str(seed), "--response-rate", "1", "--respondents",
         "2", "--out", str(folder)],
        ["score", "-r", str(folder / "responses.csv"), "--out", str(folder / "scores.json")],
        ["estimate", "--scores", str(folder / "scores.json"), "--frame",
         str(folder / "frame.csv"), "--out", str(folder / "estimates.json")],
    ):  # fmt: skip
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> Path:
    return make_wave(tmp_path_factory.mktemp("wave"), 7)


@pytest.fixture(scope="module")
def other_wave(tmp_path_factory) -> Path:
    return make_wave(tmp_path_factory.mktemp("other"), 8)


def run(*options: str):
    return runner.invoke(app, ["export", *options], env={"BAROMETRE_PSEUDONYM_KEY": ""})


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- 1. every unreadable input at once ------------------------------------------------------


def test_every_unreadable_input_is_told_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(
        "--scores", "nope.json", "--estimates", "nope2.json", "-r", "nope3.csv",
        "-t", "responses", "-f", "csv", "-o", "x.csv",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    for name in ("nope.json", "nope2.json", "nope3.csv"):
        assert f"{name}: no such file [file_not_found]" in result.output
    assert "barometre export: 3 problems found" in result.output
    assert list(tmp_path.iterdir()) == []


def test_files_and_out_are_told_together(wave, tmp_path):
    bad = write_json(tmp_path / "est.json", [1])
    result = run(
        "--scores", str(wave / "scores.json"), "--estimates", str(bad), "-r",
        str(tmp_path / "none.csv"), "-t", "estimates", "-f", "sav", "-o", str(tmp_path / "a.csv"),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"{bad}: " in result.output and "[not_an_object]" in result.output
    assert "[file_not_found]" in result.output and "[export_out_suffix]" in result.output
    assert "barometre export: 3 problems found" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["est.json"]


# --- 2. the output path -----------------------------------------------------------------------


def test_a_missing_folder_is_not_created(wave, tmp_path):
    out = tmp_path / "nodir" / "sub" / "a.csv"
    result = run("--scores", str(wave / "scores.json"), "-f", "csv", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"--out: the folder {out.parent} does not exist" in result.output
    assert "[export_out_no_folder]" in result.output
    assert not (tmp_path / "nodir").exists()


def test_a_file_in_place_of_the_folder_is_refused(wave, tmp_path):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = tmp_path / "plain" / "a.csv"
    result = run("--scores", str(wave / "scores.json"), "-f", "csv", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "[export_out_no_folder]" in result.output


def test_an_existing_folder_as_out_is_a_clear_error(wave, tmp_path):
    folder = tmp_path / "SOMEFOLDER.csv"
    folder.mkdir()
    result = run("--scores", str(wave / "scores.json"), "-f", "csv", "-o", str(folder))
    assert result.exit_code == 2, result.output  # not 70, an internal error
    assert f"--out: {folder} is a folder" in result.output
    assert "[export_out_is_folder]" in result.output
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


@pytest.mark.parametrize(
    ("fmt", "name", "suffix"),
    [
        ("sav", "d.csv", ".sav"),
        ("csv", "d.sav", ".csv"),
        ("csv-fr", "d.xlsx", ".csv"),
        ("xlsx", "d", ".xlsx"),
        ("parquet", "d.parquet.tmp", ".parquet"),
        ("dta", "d.sav", ".dta"),
    ],
)
def test_the_suffix_must_be_the_formats(wave, tmp_path, fmt, name, suffix):
    out = tmp_path / name
    result = run("--scores", str(wave / "scores.json"), "-f", fmt, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"{out} does not end with {suffix}, the suffix of the format {fmt}" in result.output
    assert "[export_out_suffix]" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "name"), [("csv", "a.csv"), ("csv-fr", "b.csv"), ("sav", "C.SAV")])
def test_the_formats_suffix_is_accepted(wave, tmp_path, fmt, name):
    result = run("--scores", str(wave / "scores.json"), "-f", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).is_file()


def test_an_existing_file_is_replaced_and_the_command_says_so(wave, tmp_path):
    # As every command of barometre does (score, estimate, report, questionnaire export).
    out = tmp_path / "o.csv"
    out.write_text("old\n", encoding="utf-8")
    result = run("--scores", str(wave / "scores.json"), "-f", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"it replaced the file that was at {out}" in result.output
    assert out.read_text(encoding="utf-8").startswith('"organisation_id"')
    fresh = tmp_path / "n.csv"
    result = run("--scores", str(wave / "scores.json"), "-f", "csv", "-o", str(fresh))
    assert result.exit_code == 0 and "replaced" not in result.output


@settings(max_examples=60, deadline=None)
@given(
    fmt=st.sampled_from(FORMATS),
    stem=st.text(st.characters(categories=("L", "N"), include_characters="-_"), min_size=1,
                 max_size=12),
    suffix=st.sampled_from([".csv", ".CSV", ".xlsx", ".sav", ".Sav", ".dta", ".parquet", ".txt",
                            ".csv.gz", ""]),
)  # fmt: skip
def test_out_is_refused_exactly_when_its_suffix_is_not_the_formats(tmp_path_factory, fmt, stem,
                                                                    suffix):  # fmt: skip
    folder = tmp_path_factory.mktemp("out")
    problems = out_problems(folder / f"{stem}{suffix}", fmt)
    expected = [] if suffix.lower() == FORMAT_SUFFIX[fmt] else [Code.EXPORT_OUT_SUFFIX]
    assert [p.code for p in problems] == expected
    assert all(p.location == "--out" for p in problems)
    assert list(folder.iterdir()) == []


# --- 3. and 4. the estimates of this wave -----------------------------------------------------


def test_estimates_of_another_questionnaire_are_located_in_the_estimates_file(wave, tmp_path):
    raw = read_json(wave / "estimates.json")
    raw["questionnaire"]["version"] = "2027.1"
    other = write_json(tmp_path / "est2.json", raw)
    out = tmp_path / "e.csv"
    scores = wave / "scores.json"
    result = run("--scores", str(scores), "--estimates", str(other), "-t", "estimates",
                 "-f", "csv", "-o", str(out))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        f"  - {other}: the estimates were made with questionnaire hlm-2026 2027.1, methodology "
        "1.0 but the scores with questionnaire hlm-2026 2026.1, methodology 1.0"
    ) in result.output
    assert "[export_estimates_other_questionnaire]" in result.output
    assert f"{scores}: estimates file" not in result.output
    assert "the scores were made with" not in result.output
    assert not out.exists()


def test_estimates_of_another_wave_of_the_same_size_are_refused(wave, other_wave, tmp_path):
    out = tmp_path / "e.csv"
    result = run(
        "--scores", str(wave / "scores.json"), "--estimates", str(other_wave / "estimates.json"),
        "-t", "estimates", "-f", "csv", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        f"{other_wave / 'estimates.json'}: the estimates were not made from these scores: "
    ) in result.output
    assert "[export_estimates_other_wave]" in result.output
    # Both waves have 40 responding organisations: the sector's figures differ.
    assert read_json(other_wave / "estimates.json")["frame"]["responding_organisations"] == 40
    assert "frame.responding_organisations" not in result.output
    assert "in the estimates file but" in result.output and "domains.sector.0." in result.output
    assert not out.exists()


def test_estimates_of_more_organisations_than_the_scores_are_refused(wave, tmp_path):
    raw = read_json(wave / "scores.json")
    raw["organisations"] = raw["organisations"][:-2]
    fewer = write_json(tmp_path / "scores.json", raw)
    result = run("--scores", str(fewer), "--estimates", str(wave / "estimates.json"), "-t",
                 "estimates", "-f", "csv", "-o", str(tmp_path / "e.csv"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        "frame.responding_organisations is 40 in the estimates file but 38 in the scores file"
    ) in result.output
    assert "[export_estimates_other_wave]" in result.output


def test_scores_changed_after_the_estimates_are_refused(wave, tmp_path):
    """One organisation's tech axis raised by 10 points: the sector's unweighted mean of the
    estimates is no longer the scores' (computed here by hand, with statistics.fmean). (The
    sector's global index of this small wave is suppressed: few organisations reach the
    coverage of every dimension.)"""
    raw = read_json(wave / "scores.json")
    sector = read_json(wave / "estimates.json")["domains"]["sector"][0]["axes"]["tech"]
    assert sector["unweighted_value"] is not None
    changed = next(o for o in raw["organisations"] if o["axes"]["tech"] is not None)
    changed["axes"]["tech"] += 10
    scores = write_json(tmp_path / "scores.json", raw)
    result = run("--scores", str(scores), "--estimates", str(wave / "estimates.json"), "-t",
                 "estimates", "-f", "csv", "-o", str(tmp_path / "e.csv"))  # fmt: skip
    assert result.exit_code == 2, result.output
    techs = [o["axes"]["tech"] for o in raw["organisations"] if o["axes"]["tech"] is not None]
    found = re.search(
        r"domains\.sector\.0\.axes\.tech\.unweighted_value is ([0-9.]+) in the estimates "
        r"file but ([0-9.]+) in the scores file",
        " ".join(result.output.split()),
    )
    assert found is not None, result.output
    assert float(found[1]) == pytest.approx(sector["unweighted_value"], rel=1e-9)
    assert float(found[2]) == pytest.approx(statistics.fmean(techs), rel=1e-9)
    assert float(found[2]) - float(found[1]) == pytest.approx(10 / len(techs), rel=1e-6)
    assert not (tmp_path / "e.csv").exists()


def test_the_own_estimates_pass_every_check(wave, tmp_path):
    result = run("--scores", str(wave / "scores.json"), "--estimates", str(wave / "estimates.json"),
                 "-t", "estimates", "-f", "csv", "-o", str(tmp_path / "e.csv"))  # fmt: skip
    assert result.exit_code == 0, result.output


# --- 5. a referent's export has no sector estimates ------------------------------------------


def test_the_estimates_table_is_refused_with_an_organisation(wave, tmp_path):
    organisation = read_json(wave / "scores.json")["organisations"][0]["organisation_id"]
    out = tmp_path / "e.csv"
    result = run(
        "--scores", str(wave / "scores.json"), "--estimates", str(wave / "estimates.json"),
        "--organisation", organisation, "-t", "estimates", "-f", "csv", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "table estimates: the table 'estimates' holds the whole sector's figures" in (
        result.output
    )
    assert "[export_estimates_of_sector]" in result.output
    assert "[export_needs_estimates]" not in result.output
    assert not out.exists()


def test_a_referents_workbook_leaves_the_estimates_out(wave, tmp_path):
    organisation = read_json(wave / "scores.json")["organisations"][0]["organisation_id"]
    result = run(
        "--scores", str(wave / "scores.json"), "--estimates", str(wave / "estimates.json"),
        "--organisation", organisation, "-f", "xlsx", "-o", str(tmp_path / "w.xlsx"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Exported organisations, items (" in result.output


# --- 6. wording ------------------------------------------------------------------------------


def test_problems_of_options_and_tables_are_the_commands(wave, tmp_path):
    result = run("--scores", str(wave / "scores.json"), "-t", "responses", "-f", "csv", "-o",
                 str(tmp_path / "x.csv"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "Error: barometre export: 1 problem found" in result.output
    assert f"Error: {wave / 'scores.json'}" not in result.output


def test_kinds_of_file_read_without_a_wrong_article(wave, tmp_path):
    array = write_json(tmp_path / "array.json", [1])
    result = run("--scores", str(wave / "scores.json"), "--estimates", str(array), "-t",
                 "estimates", "-f", "csv", "-o", str(tmp_path / "x.csv"))  # fmt: skip
    assert "[not_an_object]" in result.output and "a estimates" not in result.output
    result = run("--scores", str(wave / "estimates.json"), "-f", "csv", "-o",
                 str(tmp_path / "x.csv"))  # fmt: skip
    assert "[wrong_format]" in result.output
    assert "this is not the file expected (scores file): 'format' is" in result.output
    for code in (Code.NOT_AN_OBJECT, Code.WRONG_FORMAT, Code.FORMAT_MISSING):
        assert "a %(kind)s" not in code.template


def test_the_open_data_questionnaire_problem_reads_well():
    message = Code.OPENDATA_OTHER_QUESTIONNAIRE.template % {
        "estimates": "questionnaire hlm-2026 2026.1, methodology 1.0",
        "questionnaire": "questionnaire hlm-2026 2027.1, methodology 1.0",
    }
    assert "is questionnaire" not in message
    assert message.startswith(
        "the estimates were made with questionnaire hlm-2026 2026.1, methodology 1.0 but "
        "questionnaire hlm-2026 2027.1, methodology 1.0 is loaded"
    )


# --- 7. the documentation of the estimates table ---------------------------------------------


def test_the_documented_domain_of_the_sector_is_the_files(wave, tmp_path):
    out = tmp_path / "e.csv"
    result = run("--scores", str(wave / "scores.json"), "--estimates", str(wave / "estimates.json"),
                 "-t", "estimates", "-f", "csv", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str)
    sector = table[table["domain_variable"] == "1"]["domain"].unique().tolist()
    assert sector == ["all"]
    doc = (ROOT / "docs/exports.md").read_text(encoding="utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| `domain` |"))
    assert "`all`" in row and "`sector`" not in row


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_organisation_changed_or_left_out_is_seen(wave, data):
    """Property: the wave's own estimates pass; scores with one organisation left out, or one
    organisation's tech axis moved by at least 0.5 point, do not."""
    raw = read_json(wave / "scores.json")
    estimates = EstimatesFile.read(wave / "estimates.json")
    assert estimates_problems(estimates, ScoresFile.load(raw, "s"), "e.json") == []
    organisations = raw["organisations"]
    index = data.draw(st.integers(0, len(organisations) - 1))
    if data.draw(st.booleans()):
        del organisations[index]
    else:
        scored = [o for o in organisations if o["axes"]["tech"] is not None]
        changed = scored[index % len(scored)]
        delta = data.draw(st.floats(0.5, 50))
        old = changed["axes"]["tech"]
        # Up or down by delta, whichever stays on 0-100 (one does: delta is at most 50).
        changed["axes"]["tech"] = old + delta if old + delta <= 100 else old - delta
    problems = estimates_problems(estimates, ScoresFile.load(raw, "s"), "e.json")
    assert [(p.location, p.code) for p in problems] == [
        ("e.json", Code.EXPORT_ESTIMATES_OTHER_WAVE)
    ]
