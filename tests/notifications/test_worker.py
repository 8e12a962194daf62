"""Acceptance 5b: a real Celery worker delivers an inbox notification end to end."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu import pools as kombu_pools

from notifications.models import Channel, InboxItem
from notifications.services import message_send
from tests.factories import UserFactory
from vanke_crm.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


def _redis_answers(url) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _unavailable(reason):
    """Skip on a developer machine without the services; under CI=true this must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the worker test must run)")
    pytest.skip(reason)


def _read(path) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")[-5000:]


@pytest.fixture
def worker(transactional_db, tmp_path):
    broker = settings.CELERY_BROKER_URL
    if connection.vendor != "postgresql" or not broker.startswith("redis://"):
        _unavailable(f"needs PostgreSQL and Redis (database {connection.vendor}, broker {broker})")
    if not _redis_answers(broker):
        _unavailable(f"Redis at {broker} does not answer")
    # Fresh connection pools: an earlier test may have closed them ("Acquire on closed
    # pool") or pointed them at another broker (tests/notifications/test_resend.py).
    # kombu keeps its pools in a registry by connection: reset it, not just our handle.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.control.purge()  # stale tasks of earlier runs on this queue
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vanke_crm.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    log = (tmp_path / "worker.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vanke_crm",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path = log.name
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.mark.worker
def test_real_worker_delivers_inbox_notification(worker):
    user = UserFactory()
    with transaction.atomic():
        message = message_send(
            channel=Channel.INBOX, template="test.worker", body="工单已派发", recipient=user
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if InboxItem.objects.filter(message_id=message.pk).exists():
            break
        if worker.poll() is not None:
            pytest.fail(f"the worker exited early:\n{_read(worker.log_path)}")
        time.sleep(0.5)
    else:
        pytest.fail(f"no inbox item after 30 s; worker output:\n{_read(worker.log_path)}")
    item = InboxItem.objects.get(message_id=message.pk)
    assert item.user == user
    message.refresh_from_db()
    assert message.status == message.Status.SENT
