"""`DATABASE_URL` → Django's DATABASES entry (postgres:// and sqlite:// only)."""

from __future__ import annotations

from urllib.parse import unquote, urlparse


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
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path[1:]) or ":memory:",
        }
    raise ValueError(
        f"The DATABASE_URL setting must start with postgres:// or sqlite://. Got {parsed.scheme!r}."
    )
