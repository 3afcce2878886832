"""Production: everything from the environment, secure cookies and HTTPS."""

from barometre.errors import ConfigurationError
from barometre.web.config.settings.base import *  # noqa: F403
from barometre.web.config.settings.base import ALLOWED_HOSTS, SECRET_KEY, os

if not SECRET_KEY:
    raise ConfigurationError(
        "Set BAROMETRE_SECRET_KEY (a long random string) to run in production."
    )
if not ALLOWED_HOSTS:
    raise ConfigurationError("Set BAROMETRE_ALLOWED_HOSTS (comma-separated host names).")

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
