"""What customers does when other apps publish events (subscribed in apps.py)."""

from . import tasks
from .lifecycle_settings import STEP_KEYS


def on_setting_changed(event) -> None:
    """A length that decides the 6+2 steps changed: sweep the company's customers (all
    companies for a group default) in the worker, not in the saving request. The
    setting is committed already (events are delivered after commit); a broker that
    cannot be reached fails the delivery, and the events sweep delivers it again."""
    if event.payload.get("key") in STEP_KEYS:
        tasks.refresh_steps.delay(company_id=event.payload.get("company_id"))
