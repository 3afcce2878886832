"""Settings of the test suite: SQLite in memory unless DATABASE_URL says otherwise."""

import tempfile
from pathlib import Path

from barometre.web.config.settings.base import *  # noqa: F403
from barometre.web.config.settings.base import os, parse_database_url

SECRET_KEY = "tests-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": parse_database_url(os.environ.get("DATABASE_URL", "sqlite://"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BAROMETRE_SYNTHETIC = True
STATIC_ROOT = None  # served from the apps by the finders; nothing is collected in tests
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run at once, in the test's process (the worker's own behaviour is tested apart).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "emails"],
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
DATA_DIR = Path(tempfile.mkdtemp(prefix="barometre-tests-"))  # job outputs, never the work tree
