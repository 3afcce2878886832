"""`DATABASE_URL` → Django's DATABASES entry (postgres:// and sqlite:// only)."""

from __future__ import annotations

import importlib.util
from urllib.parse import unquote, urlparse

from barometre.errors import ConfigurationError

#: SQLite for many people at once: readers never wait for the writer (WAL), a transaction
#: takes the write lock when it begins (IMMEDIATE), so that two writers queue instead of one
#: failing with "database is locked" halfway, and a writer waits up to 20 s for its turn.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
}


def parse_database_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # One connection per web worker, kept between requests (a new PostgreSQL
            # connection costs a process and most of a request's time), checked before use so
            # that a database restarted meanwhile is reconnected to.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them
        name = unquote(parsed.path[1:]) or ":memory:"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": SQLITE_OPTIONS}
    raise ValueError(
        f"The DATABASE_URL setting must start with postgres:// or sqlite://. Got {parsed.scheme!r}."
    )


def require_extra(module: str, *, extra: str, setting: str) -> None:
    """Refuse, with what to install, a setting whose library is not installed (an optional
    dependency of the package), instead of an import error at the first request."""
    if importlib.util.find_spec(module) is None:
        raise ConfigurationError(
            f"{setting}, but its library ({module}) is not installed: "
            f'pip install "barometre[{extra}]" (from the source folder: pip install ".[{extra}]").'
        )
