"""`make run` and `make dev` (docs/decisions/0011-make-run-is-production-like.md).

`make run` is the product as its users meet it: DEBUG off, the product's own error
pages, static files collected with a manifest and served by WhiteNoise, uploaded media
through the product's media view. `DEBUG=1` (what `make dev` sets) turns on the
development conveniences: Django's technical error pages and static files straight
from the source folders (no collectstatic needed)."""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = env.bool("DEBUG", default=False)
# The addresses `make run` answers on: loopback, plus the HOST it was bound to. A
# wildcard bind (HOST=0.0.0.0) needs ALLOWED_HOSTS naming what others type.
_host = env("HOST", default="")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[
        "127.0.0.1",
        "localhost",
        "[::1]",
        *([_host] if _host and _host not in ("0.0.0.0", "::") else []),  # noqa: S104
    ],
)
if not DEBUG:
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Links in SMS and e-mail point where `make run` listens (HOST/PORT) unless set.
_port = env("PORT", default="8000")
_url_host = "127.0.0.1" if _host in ("", "0.0.0.0", "::") else _host  # noqa: S104
if ":" in _url_host:
    _url_host = f"[{_url_host}]"
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default=f"http://{_url_host}:{_port}")
