"""The main navigation: each app registers its entries with the check that decides who
sees them (in AppConfig.ready), so no template tests role names.

    nav.register(NavEntry("customers", _("Customers"), "customers:list",
                          allowed=can_read_customers, order=30))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


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


def entries_for(user) -> list[dict]:
    """The entries this signed-in staff member may use, in order."""
    shown = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key)):
        if entry.allowed(user):
            shown.append({"key": entry.key, "label": entry.label, "url": reverse(entry.url_name)})
    return shown
