"""The components /healthz reports: database, broker, cache and the worker heartbeat.

Each check returns a dict with "status" ("ok" or "down"); a check never raises. Errors
are reported by exception class only (the page is public) and logged in full."""

import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from kombu import Connection

from .models import Heartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_MAX_AGE_SECONDS = 120
BROKER_TIMEOUT_SECONDS = 2


def run_checks() -> dict:
    database = _run(check_database)
    if database["status"] == "ok":
        worker = _run(check_worker)
    else:  # the heartbeat lives in the database: do not wait for it a second time
        worker = {"status": "down", "error": "database unavailable"}
    components = {
        "database": database,
        "broker": _run(check_broker),
        "cache": _run(check_cache),
        "worker": worker,
    }
    ok = all(component["status"] == "ok" for component in components.values())
    return {"status": "ok" if ok else "down", "components": components}


def _run(check) -> dict:
    started = time.monotonic()
    try:
        result = {"status": "ok", **check()}
    except Exception as exc:
        logger.warning("Health check %s failed", check.__name__, exc_info=True)
        result = {"status": "down", "error": type(exc).__name__}
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    if url.startswith("filesystem://"):
        folder = Path(options.get("data_folder_in", ""))
        if not (folder.is_dir() and os.access(folder, os.W_OK)):
            raise FileNotFoundError("broker folder missing or not writable")
        return {"transport": "filesystem"}
    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options) as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        return {"transport": conn.transport_cls}


def check_cache() -> dict:
    cache = caches["default"]
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis swallows connection errors (IGNORE_EXCEPTIONS): ask Redis itself.
        client.get_client(write=True).ping()
        backend = "redis"
    else:
        backend = type(cache).__name__
    key, token = "healthz:probe", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise LookupError("cache did not return what was stored")
    return {"backend": backend}


def check_worker() -> dict:
    beat_at = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    if beat_at is None:
        return {"status": "down", "last_heartbeat": None, "age_seconds": None}
    age = (timezone.now() - beat_at).total_seconds()
    return {
        "status": "ok" if age <= HEARTBEAT_MAX_AGE_SECONDS else "down",
        "last_heartbeat": beat_at.isoformat(),
        "age_seconds": round(age, 1),
        "max_age_seconds": HEARTBEAT_MAX_AGE_SECONDS,
    }
