from .models import InboxItem


def unread_count(user) -> int:
    # The login backend loads the request's user with this count already annotated.
    annotated = getattr(user, "unread_inbox", None)
    if annotated is not None:
        return annotated
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


def inbox_for(user):
    """The user's own notifications, newest first (nobody sees another's inbox)."""
    return InboxItem.objects.filter(user=user).order_by("-created_at", "-pk")


def inbox_list(*, user, unread_only=False):
    items = inbox_for(user)
    return items.filter(read_at__isnull=True) if unread_only else items
