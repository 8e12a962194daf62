"""Benchmark: the pages at ~200k customers, served as `make run` serves them (issue 8
item 10, docs/decisions/0019-list-paging.md).

Seeds (or reuses) a bench database with `seed_demo --scale 11` (≈200k customers, one
company ≈67k), runs ANALYZE, starts gunicorn with 2 sync workers on 127.0.0.1:$PORT
with the settings `make run` uses (vanke_crm.settings.local, DEBUG off), and runs wrk
from loopback for a bounded time per page: a plain Django hello-world (the ceiling of
this machine), the staff customer list, a pinyin search, the customers API list, a
customer 360 page and the public risk page. Prints requests/s and p99, then stops
gunicorn.

    make bench                        # both benchmarks
    .venv/bin/python bench/pages.py [--seconds 10] [--connections 8]

The database is BENCH_DATABASE_URL (default postgres://…/vanke_crm_bench, created if
missing); the port is PORT (default 8000). Never run as a timed test.
"""

import argparse
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanke_crm_bench"
)
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanke_crm.settings.local")
os.environ["DEBUG"] = "false"

HELLO_APP = '''
"""A plain Django hello-world: the ceiling for one request on this machine."""
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, SECRET_KEY="bench",
    MIDDLEWARE=[],
)
urlpatterns = [path("", lambda request: HttpResponse("Hello, world"))]
application = get_wsgi_application()
'''


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}")


def gunicorn(app: str, port: int, env: dict, cwd: Path, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--control-socket",
            str(Path(tempfile.gettempdir()) / f"vanke-bench-{port}.ctl"),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    wait_for(port)
    return process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# Each request another page of the list (1–1,300): mostly pages nobody asked for yet,
# so the list cache (decision 0024) is missed and the page is built.
SPREAD = """
request = function()
  return wrk.format(nil, wrk.path .. "?page=" .. math.random(1, 1300))
end
"""


def wrk(
    url: str, seconds: int, connections: int, cookie: str | None, script: str | None = None
) -> tuple[float, str]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non_2xx:
        print(f"  ! {non_2xx.group(1)} responses were not 2xx/3xx for {url}")
    return (float(rate.group(1)) if rate else 0.0), (p99.group(1) if p99 else "?")


def session_cookie(user) -> str:
    """A signed-in session of `user`, as the Cookie header the browser would send."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    # The backend a real sign-in records (axes' own backend only guards sign-ins).
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if not path.startswith("axes.")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare(scale: int):
    """Seed when needed, ANALYZE, and return (cookie, targets)."""
    from vanke_crm.settings.discovery import ensure_postgres_database

    ensure_postgres_database(BENCH_DB.rsplit("/", 1)[1])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from accounts.models import User
    from customers.models import Customer, RiskItem

    call_command("migrate", verbosity=0)
    # The pages link hashed static files (the manifest make run builds).
    call_command("collectstatic", interactive=False, verbosity=0)
    if Customer.objects.count() < 190_000:
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, stdout=io.StringIO())
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = User.objects.get(username="sz_crm")
    cookie = session_cookie(user)
    mine = Customer.objects.for_user(user).active()
    showcase = mine.filter(ownerships__isnull=False).order_by("-pk").first()
    item = RiskItem.objects.filter(is_published=True, project__company__code="sz").first()
    total, in_company = Customer.objects.count(), mine.count()
    targets = [
        ("customer list", reverse("customers:list"), cookie),
        ("list, any page", reverse("customers:list") + "#spread", cookie),
        ("pinyin search", reverse("customers:list") + "?q=zhang", cookie),
        ("customers API", reverse("customer-list"), cookie),
        ("customer 360", reverse("customers:detail", args=[showcase.pk]), cookie),
        ("public risk", reverse("customers:public_risk", args=[item.project.code]), None),
    ]
    return total, in_company, targets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--scale", type=int, default=11)
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="serve another checkout (e.g. a worktree of an older commit) to compare",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    port = int(os.environ.get("PORT", "8000"))
    total, in_company, targets = prepare(args.scale)
    print(f"{total} customers; {in_company} in the benchmark user's company (sz_crm)")
    print(f"gunicorn 2 sync workers, wrk -t2 -c{args.connections} -d{args.seconds}s, loopback")
    print(f"{'page':<16}{'requests/s':>12}{'p99':>10}")
    env = dict(os.environ)
    log_path = ROOT / "var" / "log" / "bench-gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch, "hello.py").write_text(HELLO_APP)
        hello = gunicorn("hello:application", port, env, Path(scratch), log)
        try:
            rate, p99 = wrk(f"http://127.0.0.1:{port}/", args.seconds, args.connections, None)
        finally:
            stop(hello)
        print(f"{'hello-world':<16}{rate:>12.1f}{p99:>10}", flush=True)
    server = gunicorn("vanke_crm.wsgi:application", port, env, args.app_dir.resolve(), log)
    spread = Path(tempfile.mkdtemp()) / "spread.lua"
    spread.write_text(SPREAD)
    try:
        for label, path, cookie in targets:
            path, _hash, mode = path.partition("#")
            url = f"http://127.0.0.1:{port}{path}"
            warm = ["curl", "-s", "-o", "/dev/null", url]
            subprocess.run(warm + (["-H", f"Cookie: {cookie}"] if cookie else []), check=False)
            script = str(spread) if mode == "spread" else None
            rate, p99 = wrk(url, args.seconds, args.connections, cookie, script)
            print(f"{label:<16}{rate:>12.1f}{p99:>10}", flush=True)
    finally:
        stop(server)
        log.close()
    print(f"server errors, if any: {log_path}")


if __name__ == "__main__":
    main()
