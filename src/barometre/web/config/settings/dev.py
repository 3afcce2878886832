"""Settings of the demo on a laptop: SQLite in demo-output/, debug, synthetic banner."""

from barometre.web.config.settings.base import *  # noqa: F403
from barometre.web.config.settings.base import os

DEBUG = True
SECRET_KEY = os.environ.get("BAROMETRE_SECRET_KEY") or "demo-only-insecure-key-never-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
BAROMETRE_SYNTHETIC = True
