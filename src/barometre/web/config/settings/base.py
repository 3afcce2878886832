"""Settings shared by every environment; each value can come from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONCE

from barometre.errors import ConfigurationError
from barometre.web.config.database_url import parse_database_url, require_extra

WEB_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("BAROMETRE_DATA_DIR", Path.cwd() / "demo-output"))

SECRET_KEY = os.environ.get("BAROMETRE_SECRET_KEY", "")
DEBUG = os.environ.get("BAROMETRE_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("BAROMETRE_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "barometre.web.organisations",
    "barometre.web.campaigns",
    "barometre.web.responses",
    "barometre.web.backoffice",
    "barometre.web.public",
    "barometre.web.jobs",
    "barometre.web.audit",
    "barometre.web.api",  # the REST API (api/v1/) and its personal tokens
    "django_tasks",
    "django_tasks_db",
    "csp",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "barometre.web.config.apps.ConfigConfig",  # deployment checks, inline SVG under the CSP
    "axes",  # sign-in throttling (AXES_* below)
]

MIDDLEWARE = [
    # Outermost, so that every response has them, the error pages included: no-store on every
    # page but the public ones and static files, and the Content-Security-Policy.
    "barometre.web.config.middleware.PrivateByDefaultMiddleware",
    "csp.middleware.CSPMiddleware",
    # Under /api/, every error Django answers itself is a problem+json too (no HTML page).
    "barometre.web.api.errors.ApiProblemMiddleware",
    "barometre.web.config.errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the sign-in page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "barometre.web.config.urls"
WSGI_APPLICATION = "barometre.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "barometre.web.config.context.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'barometre.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    require_extra("psycopg", extra="postgres", setting="DATABASE_URL is a PostgreSQL database")

#: Long work (reports, e-mails, computations) runs on Django's Tasks framework: the database
#: queue by default (`barometre worker` runs it), RQ on Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS: dict[str, dict[str, Any]]
if REDIS_URL:
    require_extra("django_tasks_rq", extra="redis", setting="REDIS_URL is set")
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "emails"]}}
    RQ_QUEUES = {
        name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in ("default", "emails")
    }
else:
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "emails"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes; the rule and why in docs/security.md): an account is locked
# after AXES_FAILURE_LIMIT wrong passwords in a row and unlocks by itself AXES_COOLOFF_TIME
# after the last of them (attempts made while locked do not prolong it). Attempts are rows of
# the database, shared by every web process. No IP address is stored: the lock is per account
# only, the client's address is never read, and successful sign-ins are not logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("BAROMETRE_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BAROMETRE_SIGNIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "barometre.web.organisations.accounts.no_client_address"
AXES_USERNAME_CALLABLE = "barometre.web.organisations.accounts.signin_username"
AXES_LOCKOUT_CALLABLE = "barometre.web.organisations.accounts.signin_locked"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# axes.W006 advises locking by IP address as well: we do not store addresses, by design.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR.parent / "locale"]  # the catalogue of the whole package (barometre/locale)
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
#: None where nothing is collected (the demo and the tests serve the apps' files).
STATIC_ROOT: Path | None = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "BAROMETRE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("BAROMETRE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BAROMETRE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BAROMETRE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BAROMETRE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BAROMETRE_EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("BAROMETRE_FROM_EMAIL", "barometre@localhost")

#: Sessions live in the database, so that any web instance can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the autosave script reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
#: Content-Security-Policy (django-csp): the site's own scripts, styles, images and fonts only,
#: no inline script, no plugin, no framing, forms posted to the site only. Inline `<style>`
#: elements need the response's nonce (the charts' SVG, `inline_svg`); style *attributes* are
#: allowed, because the charts' SVG draws with them (a style attribute runs no script).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
CSRF_FAILURE_VIEW = "barometre.web.config.errors.csrf_failure"

#: Invitation links expire after this many days (operators can revoke them sooner).
BAROMETRE_INVITATION_DAYS = int(os.environ.get("BAROMETRE_INVITATION_DAYS", "60"))
#: The e-mail addresses of a wave's links are erased this many days after the wave closed
#: (`barometre manage erase_expired_emails`, docs/privacy.md); answers stay, pseudonymous.
BAROMETRE_EMAIL_RETENTION_DAYS = int(os.environ.get("BAROMETRE_EMAIL_RETENTION_DAYS", "90"))
#: The demo's data are synthetic: every page says so.
BAROMETRE_SYNTHETIC = os.environ.get("BAROMETRE_SYNTHETIC", "") == "1"
#: The address of the site in e-mails sent by the worker (else the address of the request
#: that queued them), e.g. https://barometre.example.org
BAROMETRE_SITE_URL = os.environ.get("BAROMETRE_SITE_URL", "").rstrip("/")
#: A running job silent for this many seconds died with its worker and is run again; the
#: worker's scheduler looks every BAROMETRE_SCHEDULER_SECONDS.
BAROMETRE_JOB_STALE_SECONDS = int(os.environ.get("BAROMETRE_JOB_STALE_SECONDS", "90"))
BAROMETRE_SCHEDULER_SECONDS = float(os.environ.get("BAROMETRE_SCHEDULER_SECONDS", "30"))
#: Largest file an operator can upload (frames, invitation lists), in megabytes.
BAROMETRE_MAX_UPLOAD_MB = int(os.environ.get("BAROMETRE_MAX_UPLOAD_MB", "25"))
DATA_UPLOAD_MAX_MEMORY_SIZE = (BAROMETRE_MAX_UPLOAD_MB + 1) * 1024 * 1024
#: Requests a minute to the REST API: per anonymous client (known by a keyed hash of its
#: address, kept a minute in the cache, never stored) and per token (docs/api.md).
BAROMETRE_API_ANONYMOUS_PER_MINUTE = int(os.environ.get("BAROMETRE_API_ANONYMOUS_PER_MINUTE", "60"))
BAROMETRE_API_TOKEN_PER_MINUTE = int(os.environ.get("BAROMETRE_API_TOKEN_PER_MINUTE", "600"))


def _positive_integer(name: str, default: str) -> int:
    """The environment variable `name` (else `default`) as a whole number of 1 or more."""
    value = os.environ.get(name, default).strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ConfigurationError(
            f"{name} must be a whole number of 1 or more (got {value[:20]!r}); "
            "see docs/deployment.md."
        )
    return int(value)


#: Wave exports (files of answers under pseudonyms) are deleted this many days after they
#: were made, with their job (`campaigns/exports.py`, docs/privacy.md).
BAROMETRE_EXPORT_RETENTION_DAYS = _positive_integer("BAROMETRE_EXPORT_RETENTION_DAYS", "7")

# Every server error is logged with its cause, on the standard error (gunicorn's error log);
# requests are never logged with their address.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"mask_tokens": {"()": "barometre.web.config.errors.MaskTokens"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_tokens"],
        }
    },
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "barometre": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django_tasks": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django_tasks_db": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
