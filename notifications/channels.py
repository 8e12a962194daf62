"""How each channel delivers one outbox row. Called only by `message_deliver`, inside
its transaction and row lock; an exception here means "not delivered this time"."""

from django.core.mail import send_mail
from django.utils.text import Truncator

from . import sms
from .models import Channel, InboxItem


class Undeliverable(Exception):
    """The message can never be delivered (e.g. no address): fail it without retrying."""


def deliver_inbox(message) -> None:
    if message.recipient_id is None:
        raise Undeliverable("an inbox message needs a recipient")
    # The OneToOne on message makes a second delivery impossible, even in a race.
    InboxItem.objects.get_or_create(
        message=message,
        defaults={
            "user_id": message.recipient_id,
            "title": message.subject or Truncator(message.body).chars(80),
            "body": message.body,
            "link": message.link,
        },
    )


def deliver_email(message) -> None:
    to = message.address or (message.recipient.email if message.recipient else "")
    if not to:
        raise Undeliverable("no e-mail address")
    if not send_mail(message.subject, message.body, None, [to]):
        raise RuntimeError("the e-mail backend sent nothing")


def deliver_sms(message) -> None:
    to = message.address or (message.recipient.mobile if message.recipient else "")
    if not to:
        raise Undeliverable("no mobile number")
    if not sms.send_sms(to, message.body):
        raise RuntimeError("the SMS backend sent nothing")


DELIVERERS = {
    Channel.INBOX: deliver_inbox,
    Channel.EMAIL: deliver_email,
    Channel.SMS: deliver_sms,
}
