"""Messages about a record: any app's record can be the subject of outbox messages
(`message_send(ref=record_ref(obj))`); its timeline lists them and a merge moves them
to the survivor, without the app touching Message rows itself."""

from .models import Message


def record_ref(obj) -> str:
    """ "customers.customer:42": the outbox reference of a record."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def messages_about(obj, *, limit: int = 50):
    """The newest messages written about `obj` (for its timeline)."""
    return Message.objects.filter(ref=record_ref(obj)).order_by("-created_at")[:limit]


def messages_move(*, source, target) -> int:
    """After a merge: messages about `source` are about `target` from now on."""
    return Message.objects.filter(ref=record_ref(source)).update(ref=record_ref(target))
