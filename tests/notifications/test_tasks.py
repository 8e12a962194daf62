from datetime import timedelta

from django.utils import timezone

from notifications.models import Channel, InboxItem, Message
from notifications.services import message_send
from notifications.tasks import deliver_message, resend_pending
from tests.factories import UserFactory


def test_deliver_message_task_delivers_once(db, enqueued):
    message = message_send(channel=Channel.INBOX, template="t", body="b", recipient=UserFactory())
    assert deliver_message(message.pk) == Message.Status.SENT
    assert deliver_message(message.pk) == Message.Status.SENT
    assert InboxItem.objects.count() == 1


def test_deliver_message_task_for_a_vanished_row_is_a_no_op(db):
    assert deliver_message(123456789) is None


def test_resend_pending_task_runs_the_sweep(db, enqueued, time_machine):
    message_send(channel=Channel.INBOX, template="t", body="b", recipient=UserFactory())
    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    assert resend_pending() == 1
    assert resend_pending() == 0


def test_task_names_match_the_beat_schedule(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {resend_pending.name, "health.tasks.heartbeat"} <= names
    assert deliver_message.name == "notifications.tasks.deliver_message"
