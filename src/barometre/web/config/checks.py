"""Deployment checks: `barometre manage check --deploy` fails (errors, not warnings) on a
production that would run half-configured.

- E-mail: invitations carry personal links; a console, in-memory, file or dummy backend would
  write them to a log or lose them while the pages say "sent". An SMTP backend needs a host.
- Secret key: it signs the sessions and makes the personal links; missing, short, or one of the
  keys published in this repository (demo, tests, the example environment) is refused.
- Allowed hosts: none, or `*`, is refused (the e-mails' links are built from the request's host).
- Database: SQLite in the data folder is what the demo uses; production says where its
  database is (DATABASE_URL), or opts in to SQLite on one machine (BAROMETRE_ALLOW_SQLITE=1).

The checks read the effective settings, so they hold for any settings module.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

#: Backends that do not deliver e-mail to anyone.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints e-mails on the console",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mails in memory",
    "django.core.mail.backends.filebased.EmailBackend": "writes e-mails to files",
    "django.core.mail.backends.dummy.EmailBackend": "throws e-mails away",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
#: Keys written in this repository: whoever reads it could forge sessions and links.
PUBLISHED_SECRET_KEYS = {
    "demo-only-insecure-key-never-in-production",
    "tests-only-insecure-key",
}
#: A value left as the example environment's placeholder (.env.example).
PLACEHOLDER = "change-me"


@register(Tags.security, deploy=True)
def check_email(app_configs=None, **kwargs) -> list[CheckMessage]:
    backend = settings.EMAIL_BACKEND
    if backend in UNDELIVERED_EMAIL_BACKENDS:
        return [
            Error(
                f"The e-mail backend {backend} {UNDELIVERED_EMAIL_BACKENDS[backend]}: "
                "invitations would never reach anyone, and their personal links would be "
                "written where they should not be.",
                hint="Set BAROMETRE_EMAIL_HOST (and BAROMETRE_EMAIL_PORT, "
                "BAROMETRE_EMAIL_HOST_USER, BAROMETRE_EMAIL_HOST_PASSWORD, "
                "BAROMETRE_EMAIL_USE_TLS) to the SMTP server that sends the e-mails.",
                id="barometre.E001",
            )
        ]
    if backend == SMTP_BACKEND and not settings.EMAIL_HOST.strip():
        return [
            Error(
                "No SMTP server is set: invitations and reminders cannot be sent.",
                hint="Set BAROMETRE_EMAIL_HOST to the SMTP server's host name.",
                id="barometre.E002",
            )
        ]
    return []


def secret_key_problem(key: str) -> str | None:
    """What is wrong with a secret key for production, or None."""
    if not key:
        return "No secret key is set."
    if key in PUBLISHED_SECRET_KEYS or PLACEHOLDER in key or key.startswith("django-insecure-"):
        return "The secret key is one published with the application, not a secret."
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"The secret key is too short or too simple (at least {SECRET_KEY_MIN_LENGTH} "
            f"characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different)."
        )
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[CheckMessage]:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key = ""
    problem = secret_key_problem(key)
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint="Set BAROMETRE_SECRET_KEY to a long random string, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            id="barometre.E003",
        )
    ]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs=None, **kwargs) -> list[CheckMessage]:
    hosts = [host for host in settings.ALLOWED_HOSTS if host.strip()]
    if hosts and "*" not in hosts:
        return []
    return [
        Error(
            "No allowed host is set." if not hosts else "Every host is allowed ('*').",
            hint="Set BAROMETRE_ALLOWED_HOSTS to the site's host names, separated by commas.",
            id="barometre.E004",
        )
    ]


@register(Tags.database, deploy=True)
def check_database(app_configs=None, **kwargs) -> list[CheckMessage]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" not in engine or getattr(settings, "BAROMETRE_ALLOW_SQLITE", False):
        return []
    return [
        Error(
            f"The database is SQLite ({settings.DATABASES['default']['NAME']}), the demo's.",
            hint="Set DATABASE_URL to the PostgreSQL database (postgres://user:password@host"
            ":port/name), or, to run on SQLite on one machine, set BAROMETRE_ALLOW_SQLITE=1.",
            id="barometre.E005",
        )
    ]
