"""The worker's half of a big customer import (see services.imports.import_confirm)."""

from celery import shared_task


@shared_task(name="customers.import_batch_run")
def import_batch_run(batch_id: int, user_id: int) -> str:
    """Import a queued batch; safe to run twice (a batch no longer queued is left)."""
    from .services.imports import import_run

    batch = import_run(batch_id=batch_id, user_id=user_id)
    return batch.status if batch else "missing"


@shared_task(name="customers.imports_requeue_stale")
def imports_requeue_stale() -> int:
    """Beat: queue again (or fail, after a few tries) imports whose task was lost."""
    from .services.imports import imports_requeue_stale as sweep

    return sweep()
