"""SLA (issue 9 acceptance 3): deadlines in working hours over the Spring Festival and a
make-up Saturday, and the sweeper's warning, company escalation and group escalation
happening exactly once, run twice and run by two workers at once."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from complaints import services
from complaints.models import Case
from complaints.services import sweep
from complaints.tasks import sla_sweep as sla_sweep_task
from notifications.models import Message
from notifications.records import record_ref
from org import company_settings
from org.models import Role
from tests.factories import make_staff

from .test_life_cycle import new_case

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_a_deadline_over_the_spring_festival_lands_on_the_right_working_hour(crm_a, company_a):
    # Friday 13 February 2026, 16:00; Saturday the 14th is a make-up working day, the
    # holiday runs from the 15th to the 23rd. A normal complaint: 24 working hours to
    # resolve (09:00–18:00, lunch 12:00–13:00): Fri 2 h + Sat 8 h + Tue 24th 8 h +
    # Wed 25th 6 h → Wednesday 25 February, 16:00.
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 2, 13, 16, 0))
    assert timezone.localtime(case.resolve_due_at, SHANGHAI) == at(2026, 2, 25, 16, 0)
    # Received at 17:30 on the Friday: 2 working hours to respond run into the
    # make-up Saturday: 0.5 h on Friday, 1.5 h on Saturday → Saturday 10:30.
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 2, 13, 17, 30))
    assert timezone.localtime(case.response_due_at, SHANGHAI) == at(2026, 2, 14, 10, 30)


def test_a_company_setting_changes_the_deadline(crm_a, company_a, group_staff):
    from org.services import setting_set

    key = "sla_complaint_normal_resolution_hours"
    setting_set(company=company_a, key=key, value=8, by=group_staff)
    assert company_settings.effective(company_a, key).value == 8
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 3, 2, 9, 0))
    assert timezone.localtime(case.resolve_due_at, SHANGHAI) == at(2026, 3, 2, 18, 0)


@pytest.fixture
def overdue(crm_a, company_a):
    """A complaint received on Monday 2 March 2026 at 09:00 (respond by 11:00)."""
    manager = make_staff(Role.MANAGER, company_a, username="manager_sla")
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 3, 2, 9, 0))
    Case.objects.filter(pk=case.pk).update(assignee=crm_a)
    return case, manager


def test_the_sweeper_warns_then_escalates_each_once(overdue, crm_a, group_staff):
    case, manager = overdue
    ref = record_ref(case)

    def run(when):
        return sweep.sla_sweep(now=when)

    assert run(at(2026, 3, 2, 9, 5)) == {"warned": 1, "company": 0, "group": 0}
    assert run(at(2026, 3, 2, 9, 6))["warned"] == 0  # twice: nothing again
    assert run(at(2026, 3, 2, 11, 30)) == {"warned": 0, "company": 1, "group": 0}
    assert run(at(2026, 3, 2, 11, 31))["company"] == 0
    # Respond-by was 2 hours after intake: 2 hours more overdue goes to the group.
    assert run(at(2026, 3, 2, 13, 1)) == {"warned": 0, "company": 0, "group": 1}
    assert run(at(2026, 3, 2, 13, 2)) == {"warned": 0, "company": 0, "group": 0}
    case.refresh_from_db()
    assert case.escalation == Case.Escalation.GROUP
    assert Message.objects.filter(ref=ref, recipient=crm_a, template__contains="near").count() == 1
    assert Message.objects.filter(ref=ref, recipient=manager).count() == 1
    assert Message.objects.filter(ref=ref, recipient=group_staff).count() == 1


def test_a_case_waiting_on_the_owner_is_not_escalated(overdue, crm_a):
    case, _manager = overdue
    services.case_act(case=case, action="pause", by=crm_a, reason="业主出差")
    assert sweep.sla_sweep(now=at(2026, 3, 2, 12, 0)) == {"warned": 0, "company": 0, "group": 0}


def test_a_responded_case_is_judged_by_its_resolution_deadline(overdue, crm_a):
    case, _manager = overdue
    services.case_act(case=case, action="accept", by=crm_a)  # responds
    Case.objects.filter(pk=case.pk).update(warned_at=timezone.now())
    # Past respond-by, well before resolve-by (24 working hours): nothing to escalate.
    assert sweep.sla_sweep(now=at(2026, 3, 2, 12, 0))["company"] == 0


def test_the_beat_task_runs_as_the_system(overdue):
    case, _manager = overdue
    Case.objects.filter(pk=case.pk).update(
        resolve_due_at=timezone.now() - datetime.timedelta(minutes=5),
        response_due_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert sla_sweep_task()["company"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_escalate_each_case_once(company_a, crm_a):
    make_staff(Role.MANAGER, company_a, username="manager_two")
    cases = [
        new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 3, 2, 9, 0))
        for _ in range(30)
    ]
    when = at(2026, 3, 2, 11, 30)
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait()
            results.append(sweep.sla_sweep(now=when, batch=7))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["company"] for r in results) == 30
    assert sum(r["warned"] for r in results) == 30
    refs = [record_ref(c) for c in cases]
    manager_messages = Message.objects.filter(ref__in=refs, template="complaints.escalated_company")
    assert manager_messages.count() == 30
