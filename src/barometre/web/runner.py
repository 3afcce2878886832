"""Starting the web application: the demo (Django's development server) and production
(gunicorn). The command line calls these; it never imports Django itself."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from barometre.errors import BarometreError

DEV_SETTINGS = "barometre.web.config.settings.dev"
PRODUCTION_SETTINGS = "barometre.web.config.settings.production"


DEMO_DATABASE = "barometre.sqlite3"
#: SQLite's `application_id` of a database made by the demo ("BARO"): the mark that lets a
#: later `barometre demo` replace it, and nothing else.
DEMO_APPLICATION_ID = 0x4241524F


class DemoFolderError(BarometreError):
    """The demo's folder holds something the demo did not make; it is left untouched."""


def _application_id(database: Path) -> int | None:
    """The SQLite `application_id` of the file, or None when it is not an SQLite database."""
    try:
        with closing(
            sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        ) as connection:
            return int(connection.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def check_demo_folder(out: Path) -> None:
    """Refuse a folder the demo would destroy something in: `out` may be missing, empty, or a
    demo's folder (its database marked as the demo's); the demo never uses DATABASE_URL."""
    if os.environ.get("DATABASE_URL"):
        raise DemoFolderError(
            "The demo makes its own SQLite database in --out and never touches another one: "
            "unset DATABASE_URL to run it."
        )
    database = out / DEMO_DATABASE
    if database.exists():
        if _application_id(database) != DEMO_APPLICATION_ID:
            raise DemoFolderError(
                f"{database} is not a database made by the demo: it is left untouched. "
                "Choose another --out folder, or move that file away."
            )
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DemoFolderError(
            f"{out} is not empty and holds no demo database: nothing was written in it. "
            "Choose a new or empty --out folder."
        )


def setup_demo_database(out: Path) -> None:
    """A fresh, migrated demo database in `out`, built from scratch each time; only a database
    the demo made is ever replaced (`check_demo_folder`)."""
    check_demo_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ["BAROMETRE_DATA_DIR"] = str(out.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = DEV_SETTINGS
    for suffix in ("", "-wal", "-shm"):
        (out / f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(out / DEMO_DATABASE)) as connection:
        connection.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
        connection.commit()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def serve_demo(port: int, out: Path, workers: int = 3) -> None:
    """The demo as production runs it: gunicorn with several workers (never DEBUG) and one
    background worker, until Ctrl+C or until one of them stops."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": DEV_SETTINGS,
        "BAROMETRE_DATA_DIR": str(out.resolve()),
    }
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *gunicorn_arguments(f"127.0.0.1:{port}", workers, None),
        ],
        env=env,
    )
    background = [  # one for the e-mails, one for the rest: invitations never wait for reports
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "barometre.cli.main",
                "worker",
                "--settings",
                DEV_SETTINGS,
                "--queues",
                queue,
            ],
            env=env,
        )
        for queue in QUEUES
    ]
    processes = [web, *background]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    stopped = [
        name
        for name, p in zip(("web server", "e-mail worker", "worker"), processes, strict=True)
        if p.returncode not in (0, -signal.SIGTERM, None)
    ]
    if stopped:
        raise SystemExit(f"The demo's {' and '.join(stopped)} stopped unexpectedly.")


def manage(arguments: list[str], settings: str = PRODUCTION_SETTINGS) -> None:
    """Run a Django management command (migrate, createsuperuser, check --deploy...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["barometre manage", *arguments])


def gunicorn_arguments(bind: str, workers: int, control_socket: str | None) -> list[str]:
    """gunicorn's command line: no access log (it would hold IP addresses), errors on the
    standard error, and a control socket of this instance's own (gunicorn's default is one
    path per host, on which two instances on one host would clash) or none."""
    arguments = [
        "barometre.web.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--error-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    if control_socket:
        arguments += ["--control-socket", control_socket]
    else:
        arguments += ["--no-control-socket"]
    return arguments


def serve_production(bind: str, workers: int, control_socket: str | None = None) -> None:
    """gunicorn with the production settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", *gunicorn_arguments(bind, workers, control_socket)]
    run()


#: The queues: e-mails apart, so that they never wait behind a wave's reports.
QUEUES = ("emails", "default")


def run_worker(
    settings: str = PRODUCTION_SETTINGS, scheduler: bool = True, queues: tuple[str, ...] = QUEUES
) -> None:
    """The background worker of `queues` (e-mails first): the database queue, or RQ when
    REDIS_URL is set, plus the scheduler (jobs whose worker died, reminders, waiting
    e-mails)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()
    from django.conf import settings as django_settings
    from django.core.management import call_command

    from barometre.web.jobs.scheduler import Scheduler

    if scheduler:
        Scheduler().start()
    if django_settings.REDIS_URL:
        # SimpleWorker runs each job in the worker's own process: RQ's default forks a work
        # horse in a process group of its own, which a `kill -9` of the worker leaves running
        # unsupervised (and SQLite connections must not cross a fork). Killed, the job stops
        # with its worker and is resumed by another (`recover_jobs`).
        call_command(
            "rqworker",
            *queues,
            job_class="django_tasks_rq.backend.Job",
            worker_class="rq.worker.SimpleWorker",
        )
    else:
        call_command(
            "db_worker",
            queue_name=",".join(queues),
            interval=1,
            reload=False,
            startup_delay=False,
        )
