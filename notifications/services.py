"""Writes of the notifications app: the transactional outbox and the staff inbox.

A message is a row written in the caller's transaction; after commit a Celery task
delivers it; `messages_resend_pending` (a beat job) delivers whatever is still pending,
so a broker outage delays a message but never loses or doubles it
(docs/decisions/0005-notifications-outbox.md)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator

from .channels import DELIVERERS, Undeliverable
from .consent import MarketingConsentMissing, has_marketing_consent
from .models import Channel, InboxItem, Message

logger = logging.getLogger(__name__)

# The on-commit task gets the first go; the sweep only takes rows older than this.
RESEND_GRACE = timedelta(seconds=10)
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 60 * 60
SWEEP_BATCH = 500


def message_send(
    *,
    channel,
    template,
    body,
    recipient=None,
    address="",
    subject="",
    link="",
    is_marketing=False,
    company=None,
    ref="",
) -> Message:
    """Queue one message: write the outbox row in the caller's transaction and enqueue
    its delivery after commit. A dead broker never fails the caller: the row stays
    pending and the sweep sends it later. A marketing message (`is_marketing=True`)
    to someone without marketing consent on record is refused
    (MarketingConsentMissing) and nothing is written."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == Channel.INBOX and recipient is None:
        raise ValueError("an inbox message needs a recipient")
    if recipient is None and not address:
        raise ValueError("a message needs a recipient or an address")
    if is_marketing and not has_marketing_consent(recipient, address):
        raise MarketingConsentMissing()
    # A subject is often built from names; it is shortened to fit, never refused.
    subject = Truncator(subject).chars(Message._meta.get_field("subject").max_length)
    message = Message.objects.create(
        channel=channel,
        template=template,
        body=body,
        recipient=recipient,
        address=address,
        subject=subject,
        link=link,
        is_marketing=is_marketing,
        company=company,
        ref=ref,
    )
    message_id = message.pk
    transaction.on_commit(lambda: _enqueue_delivery(message_id))
    return message


def messages_send(rows: list[dict]) -> list[Message]:
    """Queue many service messages at once (a sweeper's batch): one INSERT for all the
    outbox rows and one delivery job per hundred after commit. Each row takes
    message_send's arguments; marketing messages go one by one through message_send
    (their consent is checked per person)."""
    messages = []
    for row in rows:
        channel = row["channel"]
        if channel not in Channel.values:
            raise ValueError(f"unknown channel {channel!r}")
        if row.get("is_marketing"):
            raise ValueError("marketing messages are sent one by one (message_send)")
        if channel == Channel.INBOX and row.get("recipient") is None:
            raise ValueError("an inbox message needs a recipient")
        if row.get("recipient") is None and not row.get("address"):
            raise ValueError("a message needs a recipient or an address")
        subject = Truncator(row.get("subject", "")).chars(
            Message._meta.get_field("subject").max_length
        )
        messages.append(Message(**{**row, "subject": subject}))
    if not messages:
        return []
    made = Message.objects.bulk_create(messages)
    ids = [m.pk for m in made]
    transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return made


def _enqueue_deliveries(ids, chunk=100) -> None:
    from .tasks import deliver_messages

    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        try:
            deliver_messages.delay(part)
        except Exception:  # any broker failure: the sweep will deliver them
            logger.warning(
                "Could not enqueue delivery of %d messages; they stay pending for the resend sweep",
                len(part),
                exc_info=True,
            )


def _enqueue_delivery(message_id) -> None:
    from .tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # any broker failure: the sweep will deliver it
        logger.warning(
            "Could not enqueue delivery of message %s; it stays pending for the resend sweep",
            message_id,
            exc_info=True,
        )


SECRET_TEMPLATES = {"otp"}
REDACTED_BODY = "[one-time code removed after sending]"


def message_deliver(*, message_id) -> Message | None:
    """Deliver one message at most once: lock the row, do nothing unless it is still
    pending, send it through its channel and mark it sent. A failure is recorded
    (attempts, last error, next attempt with exponential backoff); after
    NOTIFICATION_MAX_ATTEMPTS, or if it can never be delivered, it is marked failed.
    Returns the message (None if the row no longer exists)."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=message_id)
        ).first()
        if message is None or message.status != Message.Status.PENDING:
            return message
        try:
            with transaction.atomic():  # a savepoint: a failed write does not poison the lock
                DELIVERERS[message.channel](message)
        except Exception as exc:
            _record_failure(message, exc)
        else:
            message.status = Message.Status.SENT
            message.sent_at = timezone.now()
            message.next_attempt_at = None
            if message.template in SECRET_TEMPLATES:
                # A one-time code has done its job once sent; the outbox keeps no copy.
                message.body = REDACTED_BODY
            message.save(update_fields=["status", "sent_at", "next_attempt_at", "body"])
    return message


def _record_failure(message, exc) -> None:
    now = timezone.now()
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if isinstance(exc, Undeliverable) or message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        message.status = Message.Status.FAILED
        message.next_attempt_at = None
    else:
        delay = min(RETRY_BASE_SECONDS * 2 ** (message.attempts - 1), RETRY_MAX_SECONDS)
        message.next_attempt_at = now + timedelta(seconds=delay)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning(
        "Delivery of message %s failed (attempt %s): %s",
        message.pk,
        message.attempts,
        message.last_error,
    )


def messages_resend_pending(*, now=None) -> int:
    """The sweep: deliver every pending message that is due (no next attempt set, or
    its time has come) and older than RESEND_GRACE. Returns how many it delivered;
    a second run finds nothing left to do."""
    now = now or timezone.now()
    due_ids = list(
        Message.objects.filter(status=Message.Status.PENDING, created_at__lte=now - RESEND_GRACE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    delivered = 0
    for message_id in due_ids:
        message = message_deliver(message_id=message_id)
        if message is not None and message.status == Message.Status.SENT:
            delivered += 1
    return delivered


def inbox_mark_read(*, user, item_id) -> InboxItem:
    """A user marks one of their own notifications read (another user's is a 404).
    Marking it again keeps the first read time."""
    item = get_object_or_404(InboxItem, pk=item_id, user=user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def inbox_mark_all_read(*, user) -> int:
    """Mark all of the user's unread notifications read; returns how many changed."""
    return InboxItem.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
