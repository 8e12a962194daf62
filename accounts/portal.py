"""The owner portal is assembled from what other apps contribute, so accounts never
imports them: a *linker* runs when an owner signs in (the customers app links the
account to the customer records with the same mobile), a *section* adds a block to
the owner's home page. Both are registered in the contributing app's ready()."""

from collections.abc import Callable

_linkers: list[Callable] = []
_sections: list[Callable] = []


def register_linker(fn: Callable) -> Callable:
    if fn not in _linkers:
        _linkers.append(fn)
    return fn


def register_section(fn: Callable) -> Callable:
    """`fn(request) -> (template_name, context) | None`."""
    if fn not in _sections:
        _sections.append(fn)
    return fn


def link_owner(user) -> None:
    for linker in _linkers:
        linker(user)


def sections_for(request) -> list[tuple[str, dict]]:
    return [section for fn in _sections if (section := fn(request)) is not None]
