"""Who is acting: a person in a request, the person who asked for an import when the
worker runs it, or the system account for beat jobs. Every history row and state
event names one of them.

    with acting(batch.uploaded_by):
        customer_create(...)      # history rows name the uploader

    with acting(system_user()):
        revisits_sweep()          # history rows name "System"
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext_lazy as _

SYSTEM_USERNAME = "system"
_actor: ContextVar = ContextVar("vanke_crm_actor", default=None)


@contextmanager
def acting(user):
    token = _actor.set(user)
    try:
        yield user
    finally:
        _actor.reset(token)


def current_actor(request=None):
    """The user set by `acting`, else the request's signed-in user, else None."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def history_user(instance=None, request=None, **kwargs):
    """django-simple-history's `get_user` for every HistoricalRecords."""
    return current_actor(request)


def system_user():
    """The account that beat jobs act as: cannot sign in, holds no role."""
    from accounts.models import User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"name": str(_("System")), "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def name_of(user) -> str:
    if user is None:
        return str(_("System"))
    return getattr(user, "display_name", None) or str(user)
