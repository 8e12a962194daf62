from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name="worker", now=None) -> Heartbeat:
    """Upsert the named heartbeat with the current time (one row per name)."""
    heartbeat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": now or timezone.now()}
    )
    return heartbeat
