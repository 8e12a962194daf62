"""The main navigation: each app registers its entries with the check that decides who
sees them (in AppConfig.ready), so no template tests role names.

    nav.register(NavEntry("customers", _("Customers"), "customers:list",
                          allowed=can_read_customers, order=30))
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: object  # lazy translated text
    url_name: str
    allowed: Callable  # (user) → bool
    order: int = 100


_ENTRIES: dict = {}


def register(entry: NavEntry) -> None:
    _ENTRIES[entry.key] = entry


@lru_cache(maxsize=256)
def _url(url_name: str, prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


def entries_for(user) -> list[dict]:
    """The entries this signed-in staff member may use, in order (every page shows
    them: their URLs are reversed once per process)."""
    shown = []
    prefix, urlconf = get_script_prefix(), get_urlconf()
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key)):
        if entry.allowed(user):
            url = _url(entry.url_name, prefix, urlconf)
            shown.append({"key": entry.key, "label": entry.label, "url": url})
    return shown
