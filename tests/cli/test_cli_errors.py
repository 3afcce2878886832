"""A user's mistake exits with status 2 and says what; a bug exits with status 70 and one line,
never a traceback (unless BAROMETRE_DEBUG=1 asks for it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli import score as score_command
from barometre.cli.errors import EXIT_INPUT_ERROR, EXIT_INTERNAL_ERROR
from barometre.cli.main import app
from barometre.errors import ArgumentError, ResponsesError

runner = CliRunner()

HEADER = "organisation_id,respondent_id,role,item_id,answer\n"


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    path = tmp_path / "responses.csv"
    path.write_text(HEADER + "O,R,direction,str_strategy,written\n", encoding="utf-8")
    return path


def score(responses: Path, *extra: str):
    return runner.invoke(app, ["score", "--responses", str(responses), *extra])


def test_a_bad_file_is_a_user_error_with_its_line(tmp_path: Path):
    path = tmp_path / "r.csv"
    # line 1 header, 2 a good row, 3 and 4 blank, 5 the bad row
    path.write_text(
        HEADER + "O,R,direction,str_strategy,1\n\n,,,,\nO,R,direction,nope,1\n", encoding="utf-8"
    )
    result = score(path)
    assert result.exit_code == EXIT_INPUT_ERROR == 2
    assert f"{path}:5: unknown item 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_an_argument_error_of_the_core_is_a_user_error(monkeypatch, responses):
    def refuse(*args, **kwargs):
        raise ArgumentError("The 'x' parameter must be at least 1. Got 0 instead.")

    monkeypatch.setattr(
        "barometre.scoring.engine.score_responses_file", refuse
    )  # read when it runs
    result = score(responses)
    assert result.exit_code == 2
    assert result.stderr == "Error: The 'x' parameter must be at least 1. Got 0 instead.\n"


@pytest.mark.parametrize("kind", [RuntimeError, ValueError, KeyError])
def test_a_bug_is_an_internal_error_without_a_traceback(monkeypatch, responses, kind):
    def broken(*args, **kwargs):
        raise kind("boom\nsecond line")

    monkeypatch.setattr(
        "barometre.scoring.engine.score_responses_file", broken
    )  # read when it runs
    result = score(responses)
    assert result.exit_code == EXIT_INTERNAL_ERROR == 70
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Internal error (a bug in barometre")
    assert f"{kind.__name__}: " in lines[0] and "boom" in lines[0]
    assert "BAROMETRE_DEBUG=1" in lines[0]
    assert not isinstance(result.exception, kind)  # it was handled, not raised through


def test_a_bug_after_the_core_call_is_an_internal_error_too(monkeypatch, responses, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(score_command, "write_text_atomic", broken)
    result = score(responses, "--out", str(tmp_path / "scores.json"))
    assert result.exit_code == 70
    assert "RuntimeError: disk on fire" in result.stderr
    assert "Traceback" not in result.output


def test_a_core_error_outside_the_guarded_block_is_still_a_user_error(
    monkeypatch, responses, tmp_path
):
    def refuse(*args, **kwargs):
        raise ResponsesError("r.csv", [])

    monkeypatch.setattr(score_command, "write_text_atomic", refuse)
    result = score(responses, "--out", str(tmp_path / "scores.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: r.csv: 0 problems found")


def test_debug_shows_the_exception(monkeypatch, responses):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        "barometre.scoring.engine.score_responses_file", broken
    )  # read when it runs
    result = runner.invoke(
        app, ["score", "--responses", str(responses)], env={"BAROMETRE_DEBUG": "1"}
    )
    assert isinstance(result.exception, RuntimeError)  # raised through, with its traceback
    assert "Internal error" not in result.output


def test_usage_errors_keep_their_own_message_and_status(tmp_path: Path):
    result = runner.invoke(app, ["simulate", "--organisations", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Internal error" not in result.output
    assert "--organisations" in result.output
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2
    assert "Internal error" not in result.output
