"""Production: everything from the environment, secure cookies and HTTPS.

Without a secret key or allowed hosts the settings refuse to load; `barometre manage check
--deploy` refuses the rest of a half-configured production (`web/config/checks.py`: the
e-mail server, a weak secret key, the database). The variables: docs/deployment.md."""

from barometre.errors import ConfigurationError
from barometre.web.config.settings.base import *  # noqa: F403
from barometre.web.config.settings.base import ALLOWED_HOSTS, SECRET_KEY, os

if not SECRET_KEY:
    raise ConfigurationError(
        "Set BAROMETRE_SECRET_KEY (a long random string) to run in production "
        "(see docs/deployment.md)."
    )
if not ALLOWED_HOSTS:
    raise ConfigurationError(
        "Set BAROMETRE_ALLOWED_HOSTS (comma-separated host names) to run in production "
        "(see docs/deployment.md)."
    )

# E-mails go to an SMTP server, never to the console or a log: they carry personal links.
# The check refuses production without BAROMETRE_EMAIL_HOST (no default host).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("BAROMETRE_EMAIL_HOST", "")
EMAIL_TIMEOUT = int(os.environ.get("BAROMETRE_EMAIL_TIMEOUT", "30"))
#: SQLite in production only when asked: one machine, the database file in BAROMETRE_DATA_DIR.
BAROMETRE_ALLOW_SQLITE = os.environ.get("BAROMETRE_ALLOW_SQLITE", "") == "1"

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("BAROMETRE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# BAROMETRE_SECURE_COOKIES=0 only for plain HTTP on the loopback (load tests behind no TLS).
SESSION_COOKIE_SECURE = os.environ.get("BAROMETRE_SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("BAROMETRE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
