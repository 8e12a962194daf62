"""The customer 360 timeline. Every app contributes its own events by registering a
provider in its AppConfig.ready(); the customers app never imports them.

A provider is `fn(customer) -> iterable[TimelineEvent]` and should cost one query."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

_providers: list[Callable] = []


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # a short key for the icon/colour: "visit", "ownership", "message" …
    title: str
    detail: str = ""
    link: str = ""


def register(provider: Callable[[object], Iterable[TimelineEvent]]):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(customer, limit: int = 100) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for provider in _providers:
        events.extend(provider(customer))
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
