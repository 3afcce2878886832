"""Starting the web application: the demo (Django's development server) and production
(gunicorn). The command line calls these; it never imports Django itself."""

from __future__ import annotations

import os
import sys
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


def serve_demo(port: int) -> None:
    from django.core.management import call_command

    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


def manage(arguments: list[str], settings: str = PRODUCTION_SETTINGS) -> None:
    """Run a Django management command (migrate, createsuperuser, check --deploy...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["barometre manage", *arguments])


def serve_production(bind: str, workers: int) -> None:
    """gunicorn with the production settings; no access log (it would hold IP addresses)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "barometre.web.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--error-logfile",
        "-",
    ]
    run()
