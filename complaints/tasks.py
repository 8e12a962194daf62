"""Periodic complaints work (beat): thin tasks calling idempotent sweeps."""

from celery import shared_task

from audit.acting import acting, system_user

from .services import sweep


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sla_sweep() -> dict:
    """Every five minutes: warn near a deadline, escalate past it (each once)."""
    with acting(system_user()):
        return sweep.sla_sweep()
