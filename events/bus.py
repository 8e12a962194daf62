"""Publish and subscribe across apps.

    # customers/services/visits.py (the publisher names its events in customers/events.py)
    bus.publish(events.VISIT_REGISTERED, by=by, customer_id=customer.pk, visit_id=visit.pk)

    # club/apps.py ready()
    bus.subscribe(customer_events.VISIT_REGISTERED, handlers.on_visit_registered)

`publish` writes a DomainEvent row in the caller's transaction and delivers it once
that transaction commits: each subscriber is called with the event, inside one
transaction, acting as the user who caused it. A failure is logged and the event is
delivered again by the beat sweep (`events_redeliver`), so subscribers must be safe to
run twice (get_or_create on the thing they make, or a check of what is already done).
An event whose transaction rolls back never existed.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.acting import acting, current_actor

from .models import DomainEvent

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
_SUBSCRIBERS: dict = defaultdict(list)


def subscribe(name: str, handler) -> None:
    if handler not in _SUBSCRIBERS[name]:
        _SUBSCRIBERS[name].append(handler)


def subscribers(name: str) -> list:
    return list(_SUBSCRIBERS.get(name, ()))


def publish(name: str, *, by=None, **payload) -> DomainEvent:
    """Record `name` with a JSON payload (ids, not objects) and deliver it after commit."""
    actor = by if by is not None else current_actor()
    event = DomainEvent.objects.create(
        name=name, payload=payload, actor_id=getattr(actor, "pk", None)
    )
    transaction.on_commit(lambda: event_deliver(event_id=event.pk))
    return event


def publish_many(name: str, payloads: list[dict], *, by=None) -> list[DomainEvent]:
    """Record one event per payload in one INSERT (a sweeper's batch); delivered after
    commit like `publish`, and marked delivered at once when nobody subscribes."""
    if not payloads:
        return []
    actor = by if by is not None else current_actor()
    actor_id = getattr(actor, "pk", None)
    made = DomainEvent.objects.bulk_create(
        [DomainEvent(name=name, payload=payload, actor_id=actor_id) for payload in payloads]
    )
    ids = [event.pk for event in made]

    def deliver():
        if not subscribers(name):
            DomainEvent.objects.filter(pk__in=ids, delivered_at__isnull=True).update(
                delivered_at=timezone.now(), attempts=1
            )
            return
        for pk in ids:
            event_deliver(event_id=pk)

    transaction.on_commit(deliver)
    return made


def event_deliver(*, event_id) -> bool:
    """Call the event's subscribers; True when it is (now or already) delivered."""
    from accounts.models import User

    with transaction.atomic():
        event = (
            DomainEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, delivered_at__isnull=True)
            .first()
        )
        if event is None:  # delivered already, or another worker holds it right now
            return not DomainEvent.objects.filter(pk=event_id, delivered_at__isnull=True).exists()
        actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
        event.attempts += 1
        try:
            with transaction.atomic(), acting(actor):
                for handler in subscribers(event.name):
                    handler(event)
        except Exception as exc:  # one subscriber's bug must not lose the event
            logger.exception("domain event %s #%s failed", event.name, event.pk)
            event.last_error = f"{type(exc).__name__}: {exc}"[:200]
            event.save(update_fields=["attempts", "last_error"])
            return False
        event.delivered_at = timezone.now()
        event.last_error = ""
        event.save(update_fields=["attempts", "delivered_at", "last_error"])
        return True


def events_redeliver(*, now=None, older_than=timedelta(minutes=2), limit=500) -> int:
    """Beat: deliver events still undelivered a while after they were written (the
    process died after the commit, or a subscriber failed). Returns how many went."""
    now = now or timezone.now()
    due = (
        DomainEvent.objects.filter(
            delivered_at__isnull=True, created_at__lte=now - older_than, attempts__lt=MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in list(due) if event_deliver(event_id=pk))
