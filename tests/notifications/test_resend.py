"""The resend sweep, and acceptance 5: a message created while the broker refuses
connections is delivered once after it is back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Channel, InboxItem, Message
from notifications.services import message_deliver, message_send, messages_resend_pending
from tests.factories import UserFactory
from vanke_crm.celery import app as celery_app

DEAD_BROKER = "redis://127.0.0.1:1/0"


def _reset_broker_pools():
    # Producers are pooled per connection: drop them so the next publish uses the
    # current broker_url.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dead_broker(settings):
    """Point the Celery app at a port that refuses connections; restore afterwards."""
    previous = celery_app.conf.broker_url
    settings.CELERY_BROKER_URL = DEAD_BROKER
    celery_app.conf.broker_url = DEAD_BROKER
    _reset_broker_pools()
    yield DEAD_BROKER
    celery_app.conf.broker_url = previous
    _reset_broker_pools()


def test_message_sent_while_broker_refuses_is_delivered_once_by_the_sweep(
    db, dead_broker, django_capture_on_commit_callbacks, sms_outbox, time_machine
):
    # Time runs normally while publishing: kombu's connection retries are timed.
    user = UserFactory(mobile="+8613800138000")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inbox = message_send(channel=Channel.INBOX, template="t", body="新工单", recipient=user)
        sms = message_send(channel=Channel.SMS, template="t", body="验证码 246810", recipient=user)
    assert len(callbacks) == 2  # both tried to publish, neither raised
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.PENDING}

    # Within the grace period the sweep leaves them to the on-commit task.
    assert messages_resend_pending(now=inbox.created_at + timedelta(seconds=5)) == 0

    time_machine.move_to(timezone.now() + timedelta(seconds=30))
    assert messages_resend_pending() == 2
    assert messages_resend_pending() == 0

    assert InboxItem.objects.filter(message=inbox).count() == 1
    assert [(s.to, s.body) for s in sms_outbox] == [("+8613800138000", "验证码 246810")]
    sms.refresh_from_db()
    assert sms.status == Message.Status.SENT


@pytest.fixture
def no_publish(monkeypatch):
    from notifications.tasks import deliver_message

    monkeypatch.setattr(deliver_message, "delay", lambda message_id: None)


def test_sweep_skips_messages_waiting_for_backoff(db, no_publish, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    message = message_send(channel=Channel.INBOX, template="t", body="b", recipient=UserFactory())
    Message.objects.filter(pk=message.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    assert messages_resend_pending() == 0
    assert messages_resend_pending(now=timezone.now() + timedelta(minutes=5)) == 1


def test_sweep_ignores_sent_and_failed_messages(db, no_publish, time_machine):
    user = UserFactory()
    sent = message_send(channel=Channel.INBOX, template="t", body="b", recipient=user)
    message_deliver(message_id=sent.pk)
    failed = message_send(channel=Channel.INBOX, template="t", body="b", recipient=user)
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED)
    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    assert messages_resend_pending() == 0
    assert InboxItem.objects.count() == 1
