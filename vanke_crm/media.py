"""Uploaded files served through the product (docs/decisions/0011).

Nothing under MEDIA_ROOT is reachable by its path alone. An app registers the folders
(upload_to prefixes) it stores files in, each with an access check that answers, for a
user and a stored name, PUBLIC (anyone may see it, shared caches may keep it), PRIVATE
(this user may see it) or None (404). A name under no registered prefix is a 404 too:
import uploads (imports/) and anything else stored without a check are never served.
Apps register in their AppConfig.ready()."""

import enum
import mimetypes
import posixpath
from collections.abc import Callable

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe


class Access(enum.Enum):
    PUBLIC = "public"
    PRIVATE = "private"


Check = Callable[[object, str], Access | None]
_checks: dict[str, Check] = {}

# Shown in the page (<img>) and in the browser's own viewer; anything else downloads.
# SVG is not among them: it can carry script.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
# Not the page policy: the browser's image viewer styles itself inline. Nothing in a
# media response may run or load anything else (sandbox).
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# A public picture may be taken off the page: caches keep it for minutes, not days. A
# private one is checked again on every view (shared tablets in the sales office).
PUBLIC_MAX_AGE = 600


def register(prefix: str, check: Check) -> None:
    """Serve stored names under `prefix` ("risk/") to whoever `check` allows."""
    if not prefix.endswith("/") or prefix.startswith("/"):
        raise ValueError(f"A media prefix is a relative folder ending in '/': {prefix!r}")
    _checks[prefix] = check


def check_for(name: str) -> Check | None:
    for prefix in sorted(_checks, key=len, reverse=True):
        if name.startswith(prefix):
            return _checks[prefix]
    return None


def clean_name(name: str) -> str | None:
    """The stored name asked for, or None when it is not a plain relative path
    (.., //, backslashes, NUL, absolute paths are refused, never resolved)."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    if posixpath.normpath(name) != name or name.split("/")[0] == "..":
        return None
    return name


@require_safe
def serve(request, name):
    name = clean_name(name)
    check = check_for(name) if name else None
    access = check(request.user, name) if check else None
    if access is None:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    content_type, encoding = mimetypes.guess_type(name)
    inline = content_type in INLINE_TYPES and encoding is None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=posixpath.basename(name),
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    if access is Access.PUBLIC:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
