"""Benchmark: the complaints pages and the SLA sweeper at 1,000,000+ cases (issue 9,
acceptance 9).

Uses the bench database of bench/pages.py (BENCH_DATABASE_URL, default
…/vanke_crm_bench), seeded with `seed_demo --scale 11` when it holds fewer than
1,000,000 cases (≈1.1M cases, ≈200k customers; the complaints part is bulk SQL,
complaints/bulk.py). Then, as `make run` serves them (gunicorn, 2 sync workers,
settings.local, DEBUG off), wrk from loopback for a bounded time per page:

- the staff queue signed in as sz_crm: the default view, and saved views with
  filters applied (mine + type + channel; breached + project);
- a case page (a demo case with its full history and tasks);
- the handler's task list and a task page, signed in as sz_engineer;
- the cases API list.

Each page's query count is read once in-process first (the test client against the
same database). Then the sweeper: 10,000 open cases are made due (a third near their
deadline, a third past it, a third past it twice over; their flags cleared), one run
of `sla_sweep()` is timed, and a second run must escalate nothing.

    make bench
    .venv/bin/python bench/complaints_bench.py [--seconds 10] [--connections 8] [--due 10000]

The port is PORT (default 8000). Never run as a timed test.
"""

import argparse
import datetime
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # for `pages`, after the project (no shadowing)

from pages import BENCH_DB, HELLO_APP, gunicorn, session_cookie, stop, wrk  # noqa: E402  (sets the env)

MIN_CASES = 1_000_000


def prepare(scale: int):
    """Seed when needed, ANALYZE; return (counts, targets)."""
    from vanke_crm.settings.discovery import ensure_postgres_database

    ensure_postgres_database(BENCH_DB.rsplit("/", 1)[1])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from complaints.models import Case, Task

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Case.objects.count() < MIN_CASES:
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, stdout=io.StringIO())
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    crm = User.objects.get(username="sz_crm")
    engineer = User.objects.get(username="sz_engineer")
    company = crm.memberships.filter(is_active=True).first().company
    # The case page: a demo case (made through the services) with the most history.
    case = (
        Case.objects.filter(company=company)
        .exclude(number__startswith="B")
        .annotate(n=Count("tasks"))
        .order_by("-n", "-pk")
        .first()
    )
    # …and an open one being worked, whose page has the dispatch form and the buttons.
    working = (
        Case.objects.filter(company=company, status__in=("dispatched", "in_progress"))
        .exclude(number__startswith="B")
        .annotate(n=Count("tasks"))
        .order_by("-n", "-pk")
        .first()
    )
    task = Task.objects.filter(assignee=engineer).order_by("-pk").first()
    project = case.project_id
    queue = reverse("complaints:queue")
    crm_cookie, engineer_cookie = session_cookie(crm), session_cookie(engineer)
    targets = [
        ("queue: all open", queue, crm_cookie),
        ("queue: mine+type+channel", f"{queue}?view=mine&type=repair&channel=hotline", crm_cookie),
        ("queue: breached+project", f"{queue}?view=breached&project={project}", crm_cookie),
        ("queue: closed, page 20", f"{queue}?view=closed&page=20", crm_cookie),
        (
            f"case page ({case.get_status_display()})",
            reverse("complaints:case", args=[case.pk]),
            crm_cookie,
        ),
        ("case page (being worked)", reverse("complaints:case", args=[working.pk]), crm_cookie),
        ("cases API", reverse("case-list") + "?status=in_progress", crm_cookie),
        ("handler: my tasks", reverse("complaints:my_tasks"), engineer_cookie),
        ("handler: task page", reverse("complaints:task", args=[task.pk]), engineer_cookie),
    ]
    counts = {
        "cases": Case.objects.count(),
        "in_company": Case.objects.filter(company=company).count(),
        "open": Case.objects.filter(status__in=Case.OPEN).count(),
        "tasks": Task.objects.count(),
    }
    return counts, targets


def query_counts(targets) -> dict:
    """Queries each page runs (in-process through the test client, after a warming
    request): built from the rows (the list cache emptied first) and from the cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, path, cookie in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        name, _eq, value = cookie.partition("=")
        client.cookies[name] = value
        client.get(path)
        cache.delete_pattern("listcache:page:*")
        cache.delete_pattern("listcache:part:*")  # a case page's parts, the same way
        with CaptureQueriesContext(connection) as built:
            response = client.get(path)
        with CaptureQueriesContext(connection) as cached:
            client.get(path)
        found[label] = (response.status_code, len(built), len(cached))
    return found


def make_due(count: int) -> list[int]:
    """Make `count` open cases due: a third near their deadline, a third past it, a
    third past it by twice the time they were given. Their flags are cleared and the
    clock runs (no pause, no incident), so the sweeper has exactly these to act on."""
    from django.db import connection

    from complaints.models import Case

    working = tuple(Case.WORKING)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH chosen AS (
                SELECT id, row_number() OVER (ORDER BY id) %% 3 AS k
                FROM complaints_case
                WHERE status IN %s AND incident_id IS NULL AND number LIKE 'B%%'
                ORDER BY id LIMIT %s
            )
            UPDATE complaints_case c SET
                paused_since = NULL, responded_at = now() - interval '10 days',
                warned_at = NULL, escalated_company_at = NULL, escalated_group_at = NULL,
                escalation = 0, escalation_reason = '',
                created_at = CASE chosen.k WHEN 0 THEN now() - interval '1 day'
                                           WHEN 1 THEN now() - interval '3 days'
                                           ELSE now() - interval '10 days' END,
                response_due_at = CASE chosen.k WHEN 0 THEN now() - interval '20 hours'
                                                WHEN 1 THEN now() - interval '2 days'
                                                ELSE now() - interval '9 days' END,
                resolve_due_at = CASE chosen.k WHEN 0 THEN now() + interval '1 hour'
                                               WHEN 1 THEN now() - interval '1 day'
                                               ELSE now() - interval '5 days' END
            FROM chosen WHERE c.id = chosen.id
            RETURNING c.id
            """,
            [working, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("ANALYZE complaints_case")
    return ids


def sweep_bench(count: int) -> None:
    from complaints.services.sweep import sla_sweep

    # Settle first: whatever the seed left due is handled, so the timed run acts on
    # exactly the cases made due below.
    started = time.perf_counter()
    settled = sla_sweep()
    print(f"sweeper, settling run: {settled} in {time.perf_counter() - started:.1f} s")
    from django.utils import timezone

    since = timezone.now()
    ids = make_due(count)
    print(f"{len(ids)} open cases made due (⅓ near, ⅓ past, ⅓ twice past their deadline)")
    for run in (1, 2):
        started = time.perf_counter()
        done = sla_sweep()
        print(f"sweeper run {run}: {time.perf_counter() - started:6.1f} s  {done}", flush=True)
    # Exactly once: no case of the ten thousand has a level twice in its history (a
    # case of the rest of the data may have come due between the two runs).
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from audit.models import StateEvent
    from complaints.models import Case

    twice = (
        StateEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=ids,
            action__in=("escalated_company", "escalated_group"),
            at__gte=since,
        )
        .values("object_id", "action")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    print(f"cases of the {len(ids):,} escalated twice to one level: {twice}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--scale", type=int, default=11)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--no-sweep", action="store_true", help="pages only")
    parser.add_argument("--no-pages", action="store_true", help="sweeper only")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    port = int(os.environ.get("PORT", "8000"))
    counts, targets = prepare(args.scale)
    print(
        f"{counts['cases']:,} cases ({counts['in_company']:,} in sz_crm's company, "
        f"{counts['open']:,} open in all), {counts['tasks']:,} tasks"
    )
    if not args.no_pages:
        queries = query_counts(targets)
        print(f"gunicorn 2 sync workers, wrk -t2 -c{args.connections} -d{args.seconds}s, loopback")
        print(f"{'page':<28}{'queries':>8}{'cached':>8}{'requests/s':>12}{'p99':>10}")
        env = dict(os.environ)
        log_path = ROOT / "var" / "log" / "bench-gunicorn.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("w") as log:
            with tempfile.TemporaryDirectory() as scratch:
                Path(scratch, "hello.py").write_text(HELLO_APP)
                hello = gunicorn("hello:application", port, env, Path(scratch), log)
                try:
                    rate, p99 = wrk(
                        f"http://127.0.0.1:{port}/", args.seconds, args.connections, None
                    )
                finally:
                    stop(hello)
                ceiling = f"{'hello-world (ceiling)':<28}{'':>16}{rate:>12.1f}{p99:>10}"
                print(ceiling, flush=True)
            server = gunicorn("vanke_crm.wsgi:application", port, env, ROOT, log)
            try:
                for label, path, cookie in targets:
                    url = f"http://127.0.0.1:{port}{path}"
                    subprocess.run(
                        ["curl", "-s", "-o", "/dev/null", "-H", f"Cookie: {cookie}", url],
                        check=False,
                    )
                    rate, p99 = wrk(url, args.seconds, args.connections, cookie)
                    status, built, cached = queries[label]
                    flag = "" if status == 200 else f"  (HTTP {status})"
                    row = f"{label:<28}{built:>8}{cached:>8}{rate:>12.1f}{p99:>10}{flag}"
                    print(row, flush=True)
            finally:
                stop(server)
        print(f"server errors, if any: {log_path}")
    if not args.no_sweep:
        sweep_bench(args.due)
    print(f"done at {datetime.datetime.now():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main()
