from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from notifications.models import Channel, InboxItem, Message
from notifications.services import (
    inbox_mark_all_read,
    inbox_mark_read,
    message_deliver,
    message_send,
)
from tests.factories import UserFactory


def send_inbox(user, **kwargs):
    params = {
        "channel": Channel.INBOX,
        "template": "test.hello",
        "subject": "新投诉待处理",
        "body": "万科城 3 栋 1201 报修：卫生间渗漏",
        "recipient": user,
        "link": "/complaints/1/",
    }
    params.update(kwargs)
    return message_send(**params)


@pytest.mark.smoke
def test_send_writes_pending_row_and_enqueues_after_commit(
    db, django_capture_on_commit_callbacks, enqueued
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = send_inbox(user)
        assert enqueued == []
    assert message.status == Message.Status.PENDING
    assert message.attempts == 0
    for callback in callbacks:
        callback()
    assert enqueued == [message.pk]


def test_send_never_raises_when_publishing_fails(
    db, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from notifications.tasks import deliver_message

    def broker_down(message_id):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = send_inbox(UserFactory())
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert "stays pending" in caplog.text


def test_rolled_back_transaction_sends_nothing(db, enqueued):
    from django.db import transaction

    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        send_inbox(user)
        raise RuntimeError("the caller's change failed")
    assert not Message.objects.exists()
    assert enqueued == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"channel": "fax", "recipient": None, "address": "+8613800000000"},
        {"channel": Channel.INBOX, "recipient": None},
        {"channel": Channel.SMS, "recipient": None, "address": ""},
    ],
)
def test_send_refuses_bad_arguments(db, kwargs):
    with pytest.raises(ValueError):
        message_send(template="t", body="b", **kwargs)
    assert not Message.objects.exists()


@pytest.mark.smoke
def test_inbox_delivery_creates_one_item_and_marks_sent(db, enqueued):
    user = UserFactory()
    message = send_inbox(user)
    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)  # a duplicate task changes nothing
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.sent_at is not None
    item = InboxItem.objects.get()
    assert (item.user, item.message, item.title, item.link) == (
        user,
        message,
        "新投诉待处理",
        "/complaints/1/",
    )
    assert not item.is_read


def test_email_goes_to_recipient_email_or_address(db, enqueued):
    user = UserFactory(email="zhang.wei@example.com")
    first = message_send(
        channel=Channel.EMAIL, template="t", subject="回访提醒", body="请回访", recipient=user
    )
    second = message_send(
        channel=Channel.EMAIL, template="t", subject="通知", body="正文", address="a@example.com"
    )
    message_deliver(message_id=first.pk)
    message_deliver(message_id=second.pk)
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["zhang.wei@example.com"], "回访提醒", "请回访"),
        (["a@example.com"], "通知", "正文"),
    ]


def test_sms_goes_to_recipient_mobile_or_address(db, enqueued, sms_outbox):
    user = UserFactory(mobile="+8613912345678")
    for kwargs in ({"recipient": user}, {"address": "+8613700000001"}):
        message = message_send(channel=Channel.SMS, template="t", body="验证码 123456", **kwargs)
        message_deliver(message_id=message.pk)
        message_deliver(message_id=message.pk)
    assert [(s.to, s.body) for s in sms_outbox] == [
        ("+8613912345678", "验证码 123456"),
        ("+8613700000001", "验证码 123456"),
    ]


def test_sms_without_any_number_fails_at_once(db, enqueued, sms_outbox):
    user = UserFactory(mobile=None)
    message = message_send(channel=Channel.SMS, template="t", body="b", recipient=user)
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert "no mobile number" in message.last_error
    assert sms_outbox == []


def test_deliver_of_missing_or_sent_message_does_nothing(db, enqueued):
    assert message_deliver(message_id=987654) is None
    message = send_inbox(UserFactory())
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
    assert message_deliver(message_id=message.pk).status == Message.Status.FAILED
    assert not InboxItem.objects.exists()


class FailingSms:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("provider timeout")


def test_failure_backs_off_exponentially_then_fails(db, enqueued, settings, time_machine):
    # Through the settings fixture only: mixing it with @override_settings unwinds in
    # the wrong order and leaves the failing backend in place for later tests.
    settings.SMS_BACKEND = "tests.notifications.test_services.FailingSms"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    time_machine.move_to(timezone.now(), tick=False)
    message = message_send(channel=Channel.SMS, template="t", body="b", address="+8613800000000")
    delays = []
    for _ in range(3):
        message = message_deliver(message_id=message.pk)
        if message.next_attempt_at:
            delays.append(message.next_attempt_at - timezone.now())
    message.refresh_from_db()
    assert delays == [timedelta(seconds=60), timedelta(seconds=120)]
    assert message.status == Message.Status.FAILED
    assert message.attempts == 3
    assert message.next_attempt_at is None
    assert message.last_error == "ConnectionError: provider timeout"


def test_message_recovers_after_a_failed_attempt(db, enqueued, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.notifications.test_services.FailingSms"
    message = message_send(channel=Channel.SMS, template="t", body="b", address="+8613800000000")
    message_deliver(message_id=message.pk)
    with override_settings(SMS_BACKEND="notifications.sms.backends.locmem.SmsBackend"):
        message = message_deliver(message_id=message.pk)
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert len(sms_outbox) == 1


def test_mark_read_own_item_keeps_first_read_time(db, enqueued):
    user = UserFactory()
    message_deliver(message_id=send_inbox(user).pk)
    item = InboxItem.objects.get()
    first = inbox_mark_read(user=user, item_id=item.pk).read_at
    assert first is not None
    assert inbox_mark_read(user=user, item_id=item.pk).read_at == first


def test_mark_read_of_another_users_item_is_404(db, enqueued):
    owner, other = UserFactory(), UserFactory()
    message_deliver(message_id=send_inbox(owner).pk)
    item = InboxItem.objects.get()
    with pytest.raises(Http404):
        inbox_mark_read(user=other, item_id=item.pk)
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_touches_only_own_unread_items(db, enqueued):
    user, other = UserFactory(), UserFactory()
    for recipient in (user, user, other):
        message_deliver(message_id=send_inbox(recipient).pk)
    assert inbox_mark_all_read(user=user) == 2
    assert inbox_mark_all_read(user=user) == 0
    assert InboxItem.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_one_time_code_is_not_kept_in_the_outbox_after_sending(db, enqueued, sms_outbox):
    message = message_send(
        channel=Channel.SMS, template="otp", body="验证码 123456", address="+8613800000000"
    )
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert sms_outbox[-1].body == "验证码 123456"
    assert "123456" not in message.body


def test_a_subject_built_from_long_names_is_shortened_to_fit(db, enqueued):
    """Subjects are often built from names; one longer than the column is cut (and so
    is the inbox title made from it), never a database error."""
    user = UserFactory()
    message = send_inbox(user, subject="新客户" + "测" * 300)
    assert len(message.subject) == Message._meta.get_field("subject").max_length
    assert message.subject.startswith("新客户测") and not message.subject.endswith("测" * 10)
    message_deliver(message_id=message.pk)
    assert InboxItem.objects.get(message=message).title == message.subject
