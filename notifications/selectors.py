from .models import InboxItem


def unread_count(user) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


def inbox_for(user):
    return InboxItem.objects.filter(user=user).order_by("-created_at")
