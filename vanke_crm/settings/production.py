"""Production: everything from the environment; start-up stops when a secret or a
service address is missing (no silent SQLite or filesystem broker in production)."""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

# Before base runs its local discovery (docs/decisions/0003): production never guesses
# where its database and broker are, nor falls back to embedded ones.
environ.Env.read_env(Path(__file__).resolve().parent.parent.parent / ".env", overwrite=False)
_missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        f"{' and '.join(_missing)} not set. Production settings need DATABASE_URL "
        "(e.g. postgres://user:password@db:5432/vanke_crm) and REDIS_URL "
        "(e.g. redis://redis:6379/0); they never fall back to SQLite or the filesystem "
        "broker."
    )

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
try:
    SECRET_KEY = env("SECRET_KEY")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings need a SECRET_KEY environment "
        'variable (50+ random characters), e.g. `python -c "import secrets; '
        'print(secrets.token_urlsafe(64))"`.'
    ) from exc
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Behind the reverse proxy (see SECURE_PROXY_SSL_HEADER) every request comes from the
# proxy's address: rate limits and the login lockout must use the client's instead.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
if TRUSTED_PROXY_COUNT:
    RATELIMIT_IP_META_KEY = "vanke_crm.net.client_ip"
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
