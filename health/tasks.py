from celery import shared_task

from .services import heartbeat_record


@shared_task
def heartbeat():
    """Beat, every 30 s: proves that beat schedules and a worker executes (see /healthz)."""
    return heartbeat_record(name="worker").beat_at.isoformat()
