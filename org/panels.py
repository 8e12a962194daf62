"""Panels of the role home pages, contributed by the domain apps (registered in their
AppConfig.ready()), so org never imports them. A panel is
`fn(request) -> (template_name, context) | None`; None hides it for this user."""

from collections.abc import Callable

_workbench: list[Callable] = []
_dashboard: list[Callable] = []


def register_workbench(fn: Callable) -> Callable:
    if fn not in _workbench:
        _workbench.append(fn)
    return fn


def workbench_panels(request) -> list[tuple[str, dict]]:
    return [panel for fn in _workbench if (panel := fn(request)) is not None]


def register_dashboard(fn: Callable) -> Callable:
    """A panel of the manager's dashboard (charts, notices)."""
    if fn not in _dashboard:
        _dashboard.append(fn)
    return fn


def dashboard_panels(request) -> list[tuple[str, dict]]:
    return [panel for fn in _dashboard if (panel := fn(request)) is not None]


_my_tasks: list[Callable] = []


def register_my_tasks(fn: Callable) -> Callable:
    """A panel of the handler's home (我的任务): the work sent to them."""
    if fn not in _my_tasks:
        _my_tasks.append(fn)
    return fn


def my_tasks_panels(request) -> list[tuple[str, dict]]:
    return [panel for fn in _my_tasks if (panel := fn(request)) is not None]
