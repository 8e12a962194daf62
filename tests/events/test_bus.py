"""Domain events: written with the change, delivered after commit to every subscriber
acting as the user who caused them, delivered again by the sweep when that failed."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from audit.acting import current_actor
from events import bus
from events.models import DomainEvent

pytestmark = pytest.mark.django_db
NAME = "tests.something_happened"


@pytest.fixture
def heard(monkeypatch):
    calls = []
    monkeypatch.setitem(bus._SUBSCRIBERS, NAME, [lambda e: calls.append((e, current_actor()))])
    return calls


def test_an_event_is_delivered_after_commit_as_the_user_who_caused_it(
    heard, crm_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = bus.publish(NAME, by=crm_a, thing_id=7)
        assert heard == []  # nothing before the commit
    assert [(e.payload, actor) for e, actor in heard] == [({"thing_id": 7}, crm_a)]
    event.refresh_from_db()
    assert event.delivered_at is not None and event.attempts == 1


def test_an_event_of_a_rolled_back_change_never_exists(heard, crm_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        bus.publish(NAME, by=crm_a, thing_id=7)
        raise RuntimeError("the change failed")
    assert not DomainEvent.objects.exists() and heard == []


def test_a_failing_subscriber_keeps_the_event_for_the_sweep(monkeypatch, crm_a):
    broken = []

    def subscriber(event):
        if not broken:
            broken.append(event.pk)
            raise ValueError("bug in a subscriber")

    monkeypatch.setitem(bus._SUBSCRIBERS, NAME, [subscriber])
    event = bus.publish(NAME, by=crm_a, thing_id=7)
    assert bus.event_deliver(event_id=event.pk) is False
    event.refresh_from_db()
    assert event.delivered_at is None and event.attempts == 1
    assert event.last_error == "ValueError: bug in a subscriber"
    # Too fresh for the sweep (its own after-commit delivery may still be running).
    assert bus.events_redeliver() == 0
    later = timezone.now() + timedelta(minutes=3)
    assert bus.events_redeliver(now=later) == 1
    assert bus.events_redeliver(now=later) == 0  # delivered once, not again
    event.refresh_from_db()
    assert event.delivered_at is not None and event.attempts == 2 and event.last_error == ""


def test_delivering_twice_calls_subscribers_once(heard, crm_a):
    event = bus.publish(NAME, by=crm_a)
    assert bus.event_deliver(event_id=event.pk) is True
    assert bus.event_deliver(event_id=event.pk) is True
    assert len(heard) == 1


def test_an_event_that_keeps_failing_stops_being_retried(monkeypatch, crm_a):
    monkeypatch.setitem(bus._SUBSCRIBERS, NAME, [lambda e: 1 / 0])
    event = bus.publish(NAME, by=crm_a)
    DomainEvent.objects.filter(pk=event.pk).update(attempts=bus.MAX_ATTEMPTS)
    assert bus.events_redeliver(now=timezone.now() + timedelta(hours=1)) == 0
