import logging

from celery import shared_task
from celery.signals import worker_ready

from .services import heartbeat_record

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Beat, every 30 s: proves that beat schedules and a worker executes (see /healthz)."""
    return heartbeat_record(name="worker").beat_at.isoformat()


@worker_ready.connect
def heartbeat_on_start(**_kwargs):
    """The first heartbeat when the worker is up: /healthz says "ok" as soon as the worker
    consumes, not only after beat's first 30-second tick has run through the queue."""
    try:
        heartbeat_record(name="worker")
    except Exception:  # the database may still be starting; beat's tick follows
        logger.warning("First heartbeat not recorded", exc_info=True)
