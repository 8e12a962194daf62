"""Periodic customer work (beat): thin tasks that call idempotent sweeps."""

from celery import shared_task

from audit.acting import acting, system_user
from org.models import Company

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_steps(company_id=None) -> int:
    """Daily: time alone moves owners along the 6+2 steps. Also queued for one
    company (or all, for a group default) when a length that decides steps changes."""
    with acting(system_user()):
        if company_id is None:
            return services.steps_refresh_all()
        company = Company.objects.filter(pk=company_id).first()
        return services.steps_refresh_all(company=company) if company else 0


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def create_due_revisits() -> int:
    """Daily: the four-year revisit tasks that fell due (one per ownership and cycle)."""
    with acting(system_user()):
        return services.revisits_sweep()


# Registered here so the worker's autodiscovery (which imports <app>.tasks) finds it.
from .tasks_io import (  # noqa: E402, F401
    import_batch_check,
    import_batch_run,
    imports_requeue_stale,
)
