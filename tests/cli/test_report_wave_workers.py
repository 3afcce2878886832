"""`barometre report wave` on several processes (`reports.batch`): the same PDFs, byte for
byte, as on one; a report that fails is named and the others are written; the size of the
pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.errors import EXIT_INPUT_ERROR, EXIT_INTERNAL_ERROR
from barometre.cli.main import app
from barometre.contracts.scores import ScoresFile
from barometre.reports.batch import WORKERS_VARIABLE, available_cores, worker_count

runner = CliRunner()
several_cores = pytest.mark.skipif(
    available_cores() < 2, reason="a pool of two workers needs two cores"
)


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sector")
    made = run("simulate", "-n", "16", "--seed", "5", "--out", str(folder))
    assert made.exit_code == 0, made.output
    path = folder / "scores.json"
    made = run("score", "-r", str(folder / "responses.csv"), "-o", str(path))
    assert made.exit_code == 0, made.output
    return path


def scored(scores: Path) -> list[str]:
    return [o.organisation_id for o in ScoresFile.read(scores).organisations if o.scored]


@several_cores
def test_two_workers_write_the_same_pdfs_as_one(scores: Path, tmp_path: Path):
    ids = scored(scores)
    assert worker_count(2, len(ids)) == 2  # the pool is really used
    for workers in ("1", "2"):
        result = run(
            "report", "wave", "--scores", str(scores), "--out", str(tmp_path / workers),
            "--workers", workers, "--wave", "Baromètre test",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"{len(ids)} reports written" in result.output
    for organisation_id in ids:
        one = (tmp_path / "1" / f"{organisation_id}.pdf").read_bytes()
        two = (tmp_path / "2" / f"{organisation_id}.pdf").read_bytes()
        assert one.startswith(b"%PDF") and one == two, organisation_id
    assert sorted(p.name for p in (tmp_path / "2").iterdir()) == sorted(f"{i}.pdf" for i in ids)


@several_cores
def test_a_report_that_fails_is_named_and_the_others_are_written(scores: Path, tmp_path: Path):
    ids = scored(scores)
    blocked = ids[1]
    (tmp_path / f"{blocked}.pdf").mkdir()  # a folder where its PDF would go
    result = run("report", "wave", "--scores", str(scores), "--out", str(tmp_path))
    assert result.exit_code == EXIT_INTERNAL_ERROR, result.output
    assert f"Report of {blocked} not written: IsADirectoryError" in result.stderr
    assert f"1 of {len(ids)} reports failed: {blocked}. Set BAROMETRE_DEBUG=1" in result.stderr
    assert f"{len(ids) - 1} reports written" in result.output
    assert "Traceback" not in result.output
    for organisation_id in ids:
        assert (tmp_path / f"{organisation_id}.pdf").is_file() is (organisation_id != blocked)
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written file left


def test_a_wrong_number_of_workers_in_the_environment_is_a_clear_error(
    scores: Path, tmp_path: Path
):
    result = runner.invoke(
        app,
        ["report", "wave", "--scores", str(scores), "--out", str(tmp_path)],
        env={WORKERS_VARIABLE: "many"},
    )
    assert result.exit_code == EXIT_INPUT_ERROR, result.output
    assert f"{WORKERS_VARIABLE} must be a whole number of 1 or more, not 'many'" in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_pool_takes_the_variable_when_no_number_is_asked(monkeypatch):
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert worker_count(None, 100) == 1
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    with pytest.raises(ValueError, match=WORKERS_VARIABLE):
        worker_count(None, 100)
    monkeypatch.delenv(WORKERS_VARIABLE)
    assert worker_count(None, 100) == available_cores()


@given(requested=st.one_of(st.none(), st.integers(1, 64)), reports=st.integers(0, 500))
def test_the_pool_is_never_larger_than_the_cores_nor_the_reports(requested, reports):
    count = worker_count(requested, reports)
    cores = available_cores()
    assert 1 <= count <= max(1, min(cores, reports))
    if requested is not None and reports > 0:
        assert count == min(requested, cores, reports)
