from notifications.models import Channel
from notifications.services import message_deliver, message_send


def deliver_inbox(user, title="新投诉待处理", link="/complaints/1/", body="请尽快处理"):
    """Send and deliver one inbox notification; returns its InboxItem."""
    message = message_send(
        channel=Channel.INBOX,
        template="test.inbox",
        subject=title,
        body=body,
        recipient=user,
        link=link,
    )
    return message_deliver(message_id=message.pk).inbox_item
