"""Celery tasks of the outbox: thin, take ids, safe to run twice."""

from celery import shared_task

from .services import message_deliver, messages_resend_pending


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_message(message_id):
    """Deliver one outbox message (delivery failures are recorded by the service; this
    retries only on unexpected errors such as a database outage)."""
    message = message_deliver(message_id=message_id)
    return message.status if message is not None else None


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_messages(message_ids):
    """Deliver a batch of outbox messages queued together (messages_send); a message
    delivered already is left as it is, so a retried batch sends nothing twice."""
    return [
        message.status if (message := message_deliver(message_id=pk)) is not None else None
        for pk in message_ids
    ]


@shared_task
def resend_pending():
    """Beat: deliver whatever is still pending (e.g. enqueued while the broker was down)."""
    return messages_resend_pending()
