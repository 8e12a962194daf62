"""Acceptance 5 of issue 7, played the way `make run` serves the product: gunicorn on
vanke_crm.wsgi with the local settings and no DEBUG in the environment, static files
collected (manifest) and served by WhiteNoise, media through the product. The settings
module adds one raising URL (tests/server_settings.py): the product has none. Runs
against the test database, without the demo seed."""

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from customers.models import RiskItem
from tests.server_urls import BOOM_MESSAGE, BOOM_PATH

ROOT = Path(__file__).resolve().parent.parent
# The environment a developer's shell may carry that `make run` must not depend on.
DROPPED = ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def server_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.server_settings",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def png_bytes(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def get(url, **headers):
    """(status, headers, body) for a GET, errors included."""
    request = urllib.request.Request(url, headers={"Accept-Language": "en", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def product(transactional_db, tmp_path, settings):
    """Base URL of gunicorn serving the product as `make run` does."""
    if connection.vendor != "postgresql":
        # Only a developer's SQLite fallback gets here (the test is not in the smoke
        # subset); under CI the product must be served and checked.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: the make run test needs PostgreSQL")
        pytest.skip("make run serves PostgreSQL here; this run has SQLite")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    env = server_env(tmp_path)
    # `make static`, into a throwaway folder.
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert collect.returncode == 0, collect.stderr
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    # The command line of scripts/run.sh, with fewer workers.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "vanke_crm.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"]
        + ["--control-socket", str(tmp_path / "gunicorn.ctl")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()
                    )
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def published_picture(project_a, settings, tmp_path):
    data = png_bytes((200, 60, 40))
    name = default_storage.save("risk/2025/05/substation.png", ContentFile(data))
    RiskItem.objects.create(
        project=project_a,
        kind=RiskItem.Kind.SUBSTATION,
        title="110kV变电站",
        distance_m=420,
        description="项目东北侧的变电站。",
        is_published=True,
        picture=name,
    )
    return project_a, data


def assert_no_debug_output(body: str):
    for marker in (
        "Traceback",
        "Django tried these URL patterns",
        "Using the URLconf",
        "DATABASE_URL",
        "postgres://",
        "redis://",
        "SECRET_KEY",
        BOOM_MESSAGE,
    ):
        assert marker not in body, marker


def test_make_run_serves_the_product_pages_static_files_and_media(product, published_picture):
    project, picture = published_picture

    status, _headers, body = get(f"{product}/no-such-page/")
    page = body.decode()
    assert status == 404
    assert "<title>Page not found · Vanke customer relations</title>" in page
    assert 'href="/">' in page
    assert_no_debug_output(page)

    status, _headers, body = get(product + BOOM_PATH)
    assert status == 500
    assert "<title>Server error · Vanke customer relations</title>" in body.decode()
    assert "Something went wrong on our side" in body.decode()
    assert_no_debug_output(body.decode())

    # The stylesheet the pages link to: the manifest's hashed name, served by WhiteNoise.
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body = get(product + stylesheet)
    assert status == 200
    assert b".topbar" in body
    assert "immutable" in headers["Cache-Control"]

    status, _headers, body = get(f"{product}/customers/p/{project.code}/risk/")
    assert status == 200
    source = re.search(r'<img class="thumb" src="(/media/[^"]+)"', body.decode()).group(1)
    status, headers, body = get(product + source)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert body == picture
