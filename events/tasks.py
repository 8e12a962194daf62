from celery import shared_task

from .bus import events_redeliver


@shared_task
def redeliver_events():
    """Beat: events whose delivery after commit did not happen or failed."""
    return events_redeliver()
