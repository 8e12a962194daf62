from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from health.checks import run_checks
from health.models import Heartbeat
from health.services import heartbeat_record
from health.tasks import heartbeat


@pytest.fixture
def fresh_heartbeat(db):
    return heartbeat_record(name="worker")


@pytest.fixture
def monitor(client, settings):
    """A monitoring system with the configured token: it sees every component."""
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer monitor-token-123"
    return client


def test_heartbeat_task_upserts_one_row(db, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    heartbeat()
    time_machine.move_to(timezone.now() + timedelta(seconds=30), tick=False)
    heartbeat()
    beat = Heartbeat.objects.get()
    assert beat.name == "worker"
    assert beat.beat_at == timezone.now()


def test_healthz_ok_when_everything_answers(monitor, fresh_heartbeat):
    response = monitor.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    components = body["components"]
    assert set(components) == {"database", "broker", "cache", "worker"}
    assert all(c["status"] == "ok" for c in components.values())
    assert components["worker"]["age_seconds"] < 5
    assert components["worker"]["last_heartbeat"] == fresh_heartbeat.beat_at.isoformat()
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_503_without_any_heartbeat(monitor, db):
    response = monitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["worker"] == {
        "status": "down",
        "last_heartbeat": None,
        "age_seconds": None,
        "latency_ms": response.json()["components"]["worker"]["latency_ms"],
    }


def test_healthz_503_when_heartbeat_is_stale(monitor, db):
    heartbeat_record(name="worker", now=timezone.now() - timedelta(seconds=121))
    response = monitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["worker"]["status"] == "down"
    assert response.json()["components"]["database"]["status"] == "ok"


def test_healthz_503_when_database_is_unreachable(monitor, fresh_heartbeat, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is cleaned
        patch.setattr(connection, "cursor", refuse)
        response = monitor.get("/healthz")
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["database"] == {
        "status": "down",
        "error": "OperationalError",
        "latency_ms": components["database"]["latency_ms"],
    }
    assert components["worker"]["status"] == "down"
    assert components["broker"]["status"] == "ok"
    assert "Connection refused" not in response.content.decode()  # no internals leak


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server address")
def test_healthz_503_when_the_database_server_refuses(monitor, fresh_heartbeat, monkeypatch):
    from health import checks

    refusing = connection.__class__({**connection.settings_dict, "PORT": 1}, alias="default")
    monkeypatch.setattr(checks, "connection", refusing)
    response = monitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["database"]["status"] == "down"
    assert response.json()["components"]["worker"]["error"] == "database unavailable"


def test_healthz_503_when_broker_refuses(monitor, fresh_heartbeat, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = monitor.get("/healthz")
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["broker"]["status"] == "down"
    assert components["broker"]["latency_ms"] < 3000
    assert components["database"]["status"] == "ok"


def test_filesystem_broker_is_checked_by_its_folder(db, fresh_heartbeat, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    assert run_checks()["components"]["broker"]["status"] == "ok"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    assert run_checks()["components"]["broker"]["status"] == "down"


def test_cache_down_is_reported_even_though_django_redis_ignores_errors(
    db, fresh_heartbeat, monkeypatch
):
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        pytest.skip("the cache is not django-redis here")

    class DeadRedis:
        def ping(self):
            raise ConnectionError("Connection refused")

    monkeypatch.setattr(client, "get_client", lambda *a, **k: DeadRedis())
    report = run_checks()
    assert report["status"] == "down"
    assert report["components"]["cache"]["status"] == "down"


@pytest.mark.smoke
def test_local_cache_backend_is_checked_by_set_and_get(settings):
    from health.checks import check_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_cache() == {"backend": "LocMemCache"}


def test_anonymous_callers_get_the_overall_status_only(client, fresh_heartbeat, settings):
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    for wrong in ("Bearer wrong", "monitor-token-123", "Bearer ", ""):
        response = client.get("/healthz", HTTP_AUTHORIZATION=wrong)
        assert response.json() == {"status": "ok"}, wrong


def test_anonymous_callers_get_503_and_no_details_when_a_component_is_down(client, db):
    response = client.get("/healthz")  # no heartbeat yet
    assert response.status_code == 503 and response.json() == {"status": "down"}


def test_no_token_configured_means_no_token_is_accepted(client, fresh_heartbeat, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_staff_see_every_component_and_owners_do_not(client, fresh_heartbeat, crm_a):
    from tests.factories import UserFactory

    client.force_login(crm_a)
    assert set(client.get("/healthz").json()["components"]) == {
        "database",
        "broker",
        "cache",
        "worker",
    }
    client.force_login(UserFactory(kind="owner", mobile="+8613912345678"))
    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
