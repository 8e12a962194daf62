"""Moving a duplicate's records to the survivor. Every app that keeps rows pointing at
a customer registers a mover in its AppConfig.ready(): `fn(source, target) -> dict`
of {label: rows moved}. The merge service calls them all in one transaction."""

from collections.abc import Callable

_movers: list[Callable] = []


def register(mover: Callable):
    if mover not in _movers:
        _movers.append(mover)
    return mover


def movers() -> list[Callable]:
    return list(_movers)
