"""A real server for the tests that kill it: gunicorn and the background worker, each in its
own process group, on a SQLite file of their own, with the demo's settings (never DEBUG), so
that a test can `kill -9` either, start it again, or take the database away, and read the
database file afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from barometre.web.runner import DEV_SETTINGS, gunicorn_arguments

ROOT = Path(__file__).resolve().parents[1]

#: The frame of the served wave: one organisation.
FRAME = (
    "organisation_id,name,organisation_type,dwellings,department\nALPHA,Office Alpha,OPH,12000,59\n"
)


def open_tiny_wave(respondents: int = 0) -> list[str]:
    """In the served database (scripts run by `Server.prepare`): an open wave of the tiny
    questionnaire for one organisation, and the tokens of `respondents` respondent links
    (role numerique)."""
    from barometre.web.campaigns.models import AccessLink, Wave
    from barometre.web.campaigns.services import link_create, wave_create, wave_transition
    from barometre.web.organisations.models import Organisation
    from tests.helpers import TINY

    wave = wave_create(year=2026, title="Baromètre 2026", questionnaire_yaml=TINY, frame_csv=FRAME)
    wave_transition(wave=wave, target=Wave.Status.OPEN)
    alpha = Organisation.objects.get()
    return [
        link_create(
            wave=wave,
            organisation=alpha,
            kind=AccessLink.Kind.RESPONDENT,
            role="numerique",
            email=f"person{n}@alpha.example",
        )[1]
        for n in range(respondents)
    ]


PREPARE = """
from tests.served import open_tiny_wave
print(open_tiny_wave(respondents=1)[0])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    folder: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    token: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        return self.folder / "barometre.sqlite3"

    def env(self) -> dict[str, str]:
        # Its own SQLite file and database queue, whatever the test run itself uses.
        inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": DEV_SETTINGS,
            "BAROMETRE_DATA_DIR": str(self.folder),
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        }

    def prepare(self, script: str = PREPARE) -> str:
        """Migrate the database, run `script` in it; returns what the script printed last."""
        subprocess.run(
            [sys.executable, "-m", "barometre.cli.main", "manage", "migrate", "-v", "0"],
            env=self.env(),
            cwd=ROOT,
            check=True,
        )
        self.token = self.run(script)
        return self.token

    def run(self, script: str) -> str:
        """Run Python code with Django set up on the server's database."""
        code = "import django\ndjango.setup()\n" + script
        out = subprocess.run(
            [sys.executable, "-c", code], env=self.env(), cwd=ROOT, capture_output=True
        )
        if out.returncode:
            raise RuntimeError(f"the script failed:\n{out.stderr.decode()}")
        lines = out.stdout.decode().strip().splitlines()
        return lines[-1] if lines else ""

    def start_worker(self) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "barometre.cli.main", "worker", "--settings", DEV_SETTINGS],
            env=self.env(),
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill9_worker(self) -> None:
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def wait_for(self, sql: str, predicate, timeout: float = 120, *params) -> list[tuple]:
        """Poll the database until `predicate(rows)` holds."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.query(sql, *params)
            if predicate(rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting on {sql!r}: {rows!r}")
            time.sleep(0.2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *gunicorn_arguments(f"127.0.0.1:{self.port}", 2, None),
            ],
            env=self.env(),
            cwd=ROOT,
            start_new_session=True,  # its own process group: kill -9 reaches every worker
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the test server did not start")

    def kill9(self) -> None:
        """`kill -9` the server and every one of its workers."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        for process in (self.process, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def take_database_away(self) -> Path:
        """Move the database files away: the server's next connection finds no database."""
        away = self.folder / "away"
        away.mkdir(exist_ok=True)
        for name in ("barometre.sqlite3", "barometre.sqlite3-wal", "barometre.sqlite3-shm"):
            if (self.folder / name).exists():
                shutil.move(self.folder / name, away / name)
        return away

    def give_database_back(self, away: Path) -> None:
        for name in ("barometre.sqlite3", "barometre.sqlite3-wal", "barometre.sqlite3-shm"):
            (self.folder / name).unlink(missing_ok=True)  # what a connection made meanwhile
            if (away / name).exists():
                shutil.move(away / name, self.folder / name)

    def answers(self) -> dict[str, str]:
        """The stored answers (cleared ones left out), read from the database file."""
        with sqlite3.connect(self.database) as db:
            rows = db.execute("select field_id, value from responses_answer where value != ''")
            return dict(rows.fetchall())
