"""Starting the web application: the demo (Django's development server) and production
(gunicorn). The command line calls these; it never imports Django itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DEV_SETTINGS = "barometre.web.config.settings.dev"
PRODUCTION_SETTINGS = "barometre.web.config.settings.production"


def setup_demo_database(out: Path) -> None:
    """A fresh, migrated demo database in `out`, built from scratch each time."""
    out.mkdir(parents=True, exist_ok=True)
    os.environ["BAROMETRE_DATA_DIR"] = str(out.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = DEV_SETTINGS
    (out / "barometre.sqlite3").unlink(missing_ok=True)
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
