"""`barometre demo --out DIR` never destroys what it did not make (issue 10, finding 11:
"`demo --out DIR` deletes an existing database in DIR").

The demo's database is marked as its own (SQLite's `application_id`); a later demo replaces
only such a database, and refuses, with a message and exit status 2, a folder holding another
database or other files, and any DATABASE_URL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from barometre.web.runner import DEMO_APPLICATION_ID, DEMO_DATABASE


def demo(out: Path, **environment: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "barometre.cli.main", "demo", "--no-serve", "--out", str(out)],
        env=base | environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def foreign_database(path: Path) -> bytes:
    """An SQLite database of someone else's, with a row in it; its bytes."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE accounts (name TEXT)")
        connection.execute("INSERT INTO accounts VALUES ('precious')")
        connection.commit()
    return path.read_bytes()


def test_a_database_the_demo_did_not_make_is_left_untouched(tmp_path):
    database = tmp_path / DEMO_DATABASE
    before = foreign_database(database)
    result = demo(tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"Error: {database} is not a database made by the demo" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DEMO_DATABASE]


def test_a_file_that_is_not_a_database_is_left_untouched(tmp_path):
    (tmp_path / DEMO_DATABASE).write_text("my notes")
    result = demo(tmp_path)
    assert result.returncode == 2
    assert (tmp_path / DEMO_DATABASE).read_text() == "my notes"


def test_a_folder_with_other_files_is_refused(tmp_path):
    (tmp_path / "frame.csv").write_text("mine")
    result = demo(tmp_path)
    assert result.returncode == 2
    assert "is not empty and holds no demo database" in result.stderr
    assert (tmp_path / "frame.csv").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frame.csv"]


def test_the_demo_never_uses_a_database_url(tmp_path):
    result = demo(tmp_path / "new", DATABASE_URL="postgres://someone@127.0.0.1:5432/production")
    assert result.returncode == 2
    assert "unset DATABASE_URL" in result.stderr
    assert not (tmp_path / "new").exists()


def set_up(out: Path) -> subprocess.CompletedProcess:
    """The demo's set-up alone (`setup_demo_database`: the folder checked, the database made
    and migrated), in a process of its own as `barometre demo` runs it."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import sys; from pathlib import Path; from barometre.web.runner import "
    code += "setup_demo_database; setup_demo_database(Path(sys.argv[1]))"
    return subprocess.run(
        [sys.executable, "-c", code, str(out)], env=base, capture_output=True, text=True
    )


def test_the_demo_replaces_its_own_database(tmp_path):
    out = tmp_path / "demo"
    first = set_up(out)
    assert first.returncode == 0, first.stderr
    with closing(sqlite3.connect(out / DEMO_DATABASE)) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID
        connection.execute("CREATE TABLE leftover (x)")  # what the visitor did in the demo
        connection.commit()
    (out / "frame.csv").write_text("the demo's own file")
    second = set_up(out)
    assert second.returncode == 0, second.stderr
    with closing(sqlite3.connect(out / DEMO_DATABASE)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert "leftover" not in tables and "campaigns_wave" in tables
        assert connection.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID


def test_a_sector_too_small_to_publish_is_said_not_a_crash(tmp_path):
    """20 organisations give too few answers for a sector estimate (the demo's minimum was an
    internal error: 'cannot be published without a sector estimate')."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "barometre.cli.main",
            "demo",
            "--no-serve",
            "-n",
            "20",
            "--out",
            str(tmp_path / "demo"),
        ],
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2, result.stderr
    assert "ask for more organisations (--organisations 60 or more)" in result.stderr
