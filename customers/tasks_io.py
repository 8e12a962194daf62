"""The worker's half of customer imports: checking an uploaded file (see
services.import_files) and importing a confirmed batch (services.imports.import_confirm)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .services.import_files import CHECK_SOFT_TIME_LIMIT, CHECK_TIME_LIMIT


@shared_task(
    name="customers.import_batch_check",
    soft_time_limit=CHECK_SOFT_TIME_LIMIT,
    time_limit=CHECK_TIME_LIMIT,
)
def import_batch_check(batch_id: int) -> str:
    """Read and check an uploaded file; safe to run twice (a batch no longer
    "checking" is left)."""
    from .services.import_files import import_file_check, import_file_check_timed_out

    try:
        batch = import_file_check(batch_id=batch_id)
    except SoftTimeLimitExceeded:
        batch = import_file_check_timed_out(batch_id=batch_id)
    return batch.status if batch else "missing"


@shared_task(name="customers.import_batch_run")
def import_batch_run(batch_id: int, user_id: int) -> str:
    """Import a queued batch; safe to run twice (a batch no longer queued is left)."""
    from .services.imports import import_run

    batch = import_run(batch_id=batch_id, user_id=user_id)
    return batch.status if batch else "missing"


@shared_task(name="customers.imports_requeue_stale")
def imports_requeue_stale() -> int:
    """Beat: queue again (or fail, after a few tries) checks and imports whose task
    was lost."""
    from audit.acting import acting, system_user

    from .services.import_files import import_checks_requeue_stale
    from .services.imports import imports_requeue_stale as sweep

    with acting(system_user()):
        return import_checks_requeue_stale() + sweep()


@shared_task(name="customers.export_job_run")
def export_job_run(job_id: int) -> str:
    """Write a queued customer export; safe to run twice (a job no longer queued is
    left)."""
    from .services.exports import export_run

    job = export_run(job_id=job_id)
    return job.status if job else "missing"


@shared_task(name="customers.exports_sweep")
def exports_sweep() -> int:
    """Beat: queue again exports whose task was lost; remove old export files."""
    from .services.exports import exports_sweep as sweep

    return sweep()
