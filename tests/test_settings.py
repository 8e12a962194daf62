"""Configuration: production start-up rules and local service discovery."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from vanke_crm.settings import discovery

ROOT = Path(__file__).resolve().parent.parent
# Addresses only: `check` does not connect to either.
PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://crm:secret@db.example.com:5432/vanke_crm",
    "REDIS_URL": "redis://redis.example.com:6379/0",
}


def _manage(*args, env_extra=None, drop=()):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never.
    drop = {*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_deploy_check_with_required_environment():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "vanke_crm.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "crm.example.com",
            **PRODUCTION_SERVICES,
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_stops_with_a_clear_message():
    result = _manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "vanke_crm.settings.production",
            "ALLOWED_HOSTS": "crm.example.com",
            **PRODUCTION_SERVICES,
        },
        drop=("SECRET_KEY",),
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_production_without_a_service_address_refuses_to_start(missing):
    """Never SQLite or the filesystem broker silently in production (issue 8)."""
    present = {k: v for k, v in PRODUCTION_SERVICES.items() if k != missing}
    result = _manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "vanke_crm.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "crm.example.com",
            **present,
        },
        drop=(missing,),
    )
    assert result.returncode != 0
    assert f"{missing} not set" in result.stderr
    assert "never fall back to SQLite" in result.stderr
    # Refused before the local discovery could pick a fallback.
    assert "using embedded" not in result.stderr


@pytest.mark.smoke
def test_database_falls_back_to_sqlite_when_postgres_refuses(tmp_path, monkeypatch):
    monkeypatch.setattr(discovery, "port_answers", lambda host, port, timeout=0.5: False)
    url = discovery.default_database_url(tmp_path)
    assert url == f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}"


@pytest.mark.smoke
def test_broker_falls_back_to_filesystem_when_redis_refuses(monkeypatch):
    monkeypatch.setattr(discovery, "port_answers", lambda host, port, timeout=0.5: False)
    assert discovery.default_redis_url() is None


def test_port_probe_sees_a_refusing_address():
    assert discovery.port_answers("127.0.0.1", 1) is False


def _setting(name, env_extra, drop=()):
    result = _manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        env_extra={"DJANGO_SETTINGS_MODULE": "vanke_crm.settings.local", **env_extra},
        drop=(*drop, "PUBLIC_BASE_URL"),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_public_base_url_follows_make_runs_host_and_port():
    """SMS links point where `make run` listens, not at :8000 (issue 8)."""
    assert _setting("PUBLIC_BASE_URL", {"PORT": "8123"}, drop=("HOST",)) == (
        "http://127.0.0.1:8123"
    )
    assert _setting("PUBLIC_BASE_URL", {"HOST": "crm.lan", "PORT": "9000"}) == (
        "http://crm.lan:9000"
    )
    assert _setting("PUBLIC_BASE_URL", {"HOST": "0.0.0.0", "PORT": "9000"}) == (
        "http://127.0.0.1:9000"
    )


def test_the_worker_records_a_heartbeat_when_it_starts(db):
    """/healthz is green as soon as the worker is up, not after beat's first tick."""
    from health.models import Heartbeat
    from health.tasks import heartbeat_on_start

    heartbeat_on_start(sender=None)
    assert Heartbeat.objects.filter(name="worker").exists()


def test_make_run_keeps_its_files_in_the_checkout():
    """Two checkouts side by side: nothing `make run` writes is shared between them."""
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "--control-socket var/gunicorn.ctl" in script
    assert "--pidfile=var/celerybeat.pid" in script
    assert '--hostname "vanke_crm-$PORT@%h"' in script
    assert "wait_healthy.py" in script.split("demo_logins")[0]


def test_checkouts_on_one_redis_database_keep_their_own_queue_and_cache_keys():
    """`make run` twice with another PORT and DATABASE_URL only: neither takes the
    other's tasks (which name rows of the other database) nor reads its cache."""
    drop = ("CELERY_TASK_DEFAULT_QUEUE", "CACHE_KEY_PREFIX")
    shared = "redis://127.0.0.1:6379/0"
    read = "CELERY_TASK_DEFAULT_QUEUE, settings.CACHES['default']['KEY_PREFIX']"
    first = _setting(read, {"DATABASE_URL": DB_URL % "crm_a", "REDIS_URL": shared}, drop)
    second = _setting(read, {"DATABASE_URL": DB_URL % "crm_b", "REDIS_URL": shared}, drop)
    assert first == "vanke_crm-crm_a vanke_crm-crm_a"
    assert second == "vanke_crm-crm_b vanke_crm-crm_b"
    # The usual database keeps the usual names; an explicit queue wins.
    usual = _setting(read, {"DATABASE_URL": DB_URL % "vanke_crm", "REDIS_URL": shared}, drop)
    assert usual == "vanke_crm vanke_crm"
    explicit = _setting(
        "CELERY_TASK_DEFAULT_QUEUE",
        {"DATABASE_URL": DB_URL % "crm_a", "CELERY_TASK_DEFAULT_QUEUE": "mine"},
    )
    assert explicit == "mine"


DB_URL = "postgres://postgres@127.0.0.1:5432/%s"
