"""Identifiers that are paths never leave the output folder (issue 10, finding 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.errors import EXIT_INPUT_ERROR
from barometre.cli.main import app
from barometre.cli.report import report_paths
from barometre.errors import InputError
from tests.helpers import TINY

runner = CliRunner()

HEADER = "organisation_id,respondent_id,role,item_id,answer\n"
# Every scored answer of the tiny questionnaire's direction role: a global index.
ANSWERS = {
    "a_scale": "4",
    "a_single": "z",
    "a_multi": "p",
    "a_status.r1": "generalised",
    "a_status.r2": "generalised",
    "b_mail": "20",
    "b_sponsor": "yes",
    "b_plan": "done",
}


def responses_csv(path: Path, organisation_id: str, respondent_id: str = "R1") -> Path:
    rows = "".join(
        f"{organisation_id},{respondent_id},direction,{item},{answer}\n"
        for item, answer in ANSWERS.items()
    )
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_score_refuses_an_organisation_id_that_is_a_path(tmp_path: Path):
    questionnaire = tmp_path / "tiny.yaml"
    questionnaire.write_text(TINY, encoding="utf-8")
    responses = responses_csv(tmp_path / "r.csv", "../../../x")
    before = files_under(tmp_path)
    result = runner.invoke(
        app,
        ["score", "-r", str(responses), "-q", str(questionnaire), "-o", str(tmp_path / "s.json")],
    )
    assert result.exit_code == EXIT_INPUT_ERROR, result.output
    assert f"{responses}:2: organisation_id '../../../x' is not an identifier" in result.stderr
    assert "[invalid_identifier]" in result.stderr
    assert files_under(tmp_path) == before


def test_report_wave_writes_nothing_outside_its_folder(tmp_path: Path):
    """A scores file made elsewhere (or edited) with a path for an identifier: refused before
    any report is written, wherever it points."""
    sector = tmp_path / "sector"
    made = runner.invoke(app, ["simulate", "-n", "12", "--seed", "5", "--out", str(sector)])
    assert made.exit_code == 0, made.output
    scores = tmp_path / "s.json"
    made = runner.invoke(app, ["score", "-r", str(sector / "responses.csv"), "-o", str(scores)])
    assert made.exit_code == 0, made.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    scored = next(o for o in data["organisations"] if o["global"] is not None)
    scored["organisation_id"] = "../../escaped"
    scores.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    before = files_under(tmp_path)
    result = runner.invoke(app, ["report", "wave", "--scores", str(scores), "--out", str(out)])
    assert result.exit_code == EXIT_INPUT_ERROR, result.output
    assert "organisation '../../escaped' cannot name a file inside" in result.stderr
    assert "[unsafe_file_name]" in result.stderr
    assert files_under(tmp_path) == before


def test_report_paths_are_right_inside_the_folder(tmp_path: Path):
    paths = report_paths(tmp_path, ["O1", "SYN-0003", "a.b_c"], ".pdf")
    assert paths == {
        "O1": tmp_path.resolve() / "O1.pdf",
        "SYN-0003": tmp_path.resolve() / "SYN-0003.pdf",
        "a.b_c": tmp_path.resolve() / "a.b_c.pdf",
    }


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path):
    folder, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "O1.pdf").symlink_to(elsewhere / "O1.pdf")
    with pytest.raises(InputError) as caught:
        report_paths(folder, ["O1", "O2"], ".pdf")
    [refused] = caught.value.problems
    assert refused.code == "unsafe_file_name"
    assert "'O1'" in refused.message
