"""Settings of the demo on a laptop: SQLite in demo-output/, synthetic banner.

Never DEBUG: the demo runs as production does (gunicorn, several workers, the error pages a
user would meet); static files are served from the package by WhiteNoise."""

from barometre.web.config.settings.base import *  # noqa: F403
from barometre.web.config.settings.base import os

DEBUG = False
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served from the package, nothing collected
SECRET_KEY = os.environ.get("BAROMETRE_SECRET_KEY") or "demo-only-insecure-key-never-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
BAROMETRE_SYNTHETIC = True
