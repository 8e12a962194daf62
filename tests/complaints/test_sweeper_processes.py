"""The SLA sweeper run by two real processes at once (issue 9, acceptance 3): with the
clock frozen at three moments of one day, two operating-system processes, each with its own
database connection, sweep the same 30 overdue cases at the same instant, and then do it
again. Each case gets one warning, one company escalation and one group escalation:
one message each to the case owner, the company's manager and the group centre."""

import datetime
import json
import os
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from complaints.models import Case
from notifications.models import Message
from notifications.records import record_ref
from org.models import Role
from tests.factories import make_staff

from .test_life_cycle import new_case

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CASES = 30

# Each process sets up Django, says it is ready, waits for the word (a file) and sweeps
# once as the beat task does (as the system user), its clock frozen at the given moment,
# in small batches so that the two interleave; it prints its counts.
WORKER = """
import datetime, json, sys, time
from pathlib import Path
import django
django.setup()
import time_machine
from audit.acting import acting, system_user
from complaints.services import sweep
ready, go, when, batch = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
ready.touch()
give_up = time.monotonic() + 60
while not go.exists() and time.monotonic() < give_up:
    time.sleep(0.002)
with time_machine.travel(datetime.datetime.fromisoformat(when), tick=False), acting(system_user()):
    print(json.dumps(sweep.sla_sweep(batch=batch)))
"""


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _sweep_in_two_processes(tmp_path: Path, when: datetime.datetime, n: int) -> list[dict]:
    """Two processes sweep at the same instant; their counts."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vanke_crm.settings.test",
        "DATABASE_URL": _database_url(),  # the test database, not the developer's
    }
    go = tmp_path / f"go-{n}"
    readies = [tmp_path / f"ready-{n}-{i}" for i in range(2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(ready), str(go), when.isoformat(), "7"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ready in readies
    ]
    give_up = time.monotonic() + 60
    while not all(r.exists() for r in readies) and time.monotonic() < give_up:
        time.sleep(0.01)
    go.touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _total(results, key) -> int:
    return sum(r[key] for r in results)


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_warn_and_escalate_each_case_once(
    tmp_path, company_a, crm_a, group_staff
):
    manager = make_staff(Role.MANAGER, company_a, username="manager_procs")
    # Monday 2 March 2026, 09:00: a complaint must be answered by 11:00.
    received = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    cases = [
        new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=received)
        for _ in range(CASES)
    ]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assignee=crm_a)
    moments = {
        "warned": received + datetime.timedelta(minutes=5),  # near the 11:00 deadline
        "company": received + datetime.timedelta(hours=2, minutes=30),  # past it
        "group": received + datetime.timedelta(hours=4, minutes=1),  # past it twice over
    }
    for n, (step, when) in enumerate(moments.items()):
        first = _sweep_in_two_processes(tmp_path, when, n=2 * n)
        assert _total(first, step) == CASES, (step, first)
        # Both processes ran, and neither did anything twice.
        again = _sweep_in_two_processes(tmp_path, when, n=2 * n + 1)
        assert _total(again, "warned") + _total(again, "company") + _total(again, "group") == 0
    refs = [record_ref(case) for case in cases]
    assert Case.objects.filter(pk__in=[c.pk for c in cases], escalation=2).count() == CASES
    for recipient, template in (
        (crm_a, "complaints.near_breach"),
        (manager, "complaints.escalated_company"),
        (group_staff, "complaints.escalated_group"),
    ):
        sent = Message.objects.filter(ref__in=refs, recipient=recipient, template=template)
        assert sent.count() == CASES, (recipient, template)
        assert sent.values("ref").distinct().count() == CASES
