"""Benchmark: staff customer search on 200k customers (issue 4).

Seeds its own database (BENCH_DATABASE_URL, default …/vanke_crm_bench; an exported
DATABASE_URL is not used) with `seed_demo --scale 11` (~200k customers) unless it
already has them, then times the search that the staff list runs — scoped to a
company CRM user, first page of 50 plus the count — for four kinds of input: name
(汉字), pinyin/initials, mobile tail and unit code. Prints median and p95.

    make bench            # or: .venv/bin/python bench/customer_search.py [--runs 200]
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Its own database, like bench/pages.py: an exported DATABASE_URL (a checkout's own
# database) must not receive 200k demo customers.
BENCH_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanke_crm_bench"
)
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanke_crm.settings.local")
os.environ["DEBUG"] = "false"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--scale", type=int, default=11)
    args = parser.parse_args()

    from vanke_crm.settings.discovery import ensure_postgres_database

    ensure_postgres_database(BENCH_DB.rsplit("/", 1)[1])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from customers.models import Customer, Ownership

    call_command("migrate", verbosity=0)
    if Customer.objects.count() < 190_000:
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, stdout=io.StringIO())
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Customer.objects.count()
    user = User.objects.get(username="sz_crm")
    mine = Customer.objects.for_user(user).active()
    sample = list(
        mine.order_by("?").values_list("name", "name_pinyin", "name_initials", "mobile")[:500]
    )
    units = list(
        Ownership.objects.for_user(user).order_by("?").values_list("unit__code", flat=True)[:200]
    )
    inputs = {
        "name (汉字)": [s[0] for s in sample],
        "pinyin": [s[1] for s in sample],
        "initials": [s[2] for s in sample],
        "mobile tail": [s[3][-4:] for s in sample],
        "unit code": units,
    }
    print(f"{total} customers; {mine.count()} in the benchmark user's company")
    print(f"{'search':<14}{'runs':>6}{'median ms':>12}{'p95 ms':>10}{'avg hits':>10}")
    for label, values in inputs.items():
        times, hits = [], []
        for i in range(args.runs):
            text = values[i % len(values)]
            started = time.perf_counter()
            qs = mine.search(text).order_by("-created_at", "-pk")
            rows = list(qs[:50])
            count = qs.count()
            times.append((time.perf_counter() - started) * 1000)
            hits.append(count)
            assert rows or count == 0
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{label:<14}{len(times):>6}{statistics.median(times):>12.1f}{p95:>10.1f}"
            f"{statistics.mean(hits):>10.1f}"
        )


if __name__ == "__main__":
    main()
