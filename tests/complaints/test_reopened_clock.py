"""A reopened case runs its resolution clock again (issue 9, SLA): reopening gives it
its resolution time anew from that moment, on the working calendar, the assignee is
warned again before the new deadline, and the sweeper escalates it when it breaches
(a level it already reached is not reached twice). Waiting on the owner stops the new
clock as it stops the first, and the queue's near-breach and breached views show
reopened cases."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Case
from complaints.services import sweep
from org.models import Role
from tests.factories import make_staff

from .test_life_cycle import new_case

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def closed(crm_a, company_a):
    """A complaint received on Monday 2 March 2026 at 09:00 (24 working hours to
    resolve), closed that Wednesday after its return visit, never escalated."""
    make_staff(Role.MANAGER, company_a, username="manager_reopen")
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=at(2026, 3, 2, 9, 0))
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED,
        assignee=crm_a,
        responded_at=at(2026, 3, 2, 9, 30),
        warned_at=at(2026, 3, 3, 9, 0),
        closed_at=at(2026, 3, 4, 10, 0),
    )
    case.refresh_from_db()
    return case


def reopen(case, crm, when):
    with time_machine.travel(when, tick=False):
        return services.case_act(case=case, action="reopen", by=crm, reason="又漏水了")


def test_reopening_gives_the_case_its_resolution_time_anew(closed, crm_a):
    # Reopened on Monday 9 March at 09:00: 24 working hours → Wednesday 11 March, 18:00.
    case = reopen(closed, crm_a, at(2026, 3, 9, 9, 0))
    assert case.status == Case.Status.REOPENED
    assert timezone.localtime(case.resolve_due_at, SHANGHAI) == at(2026, 3, 11, 18, 0)
    assert case.warned_at is None  # warned again before the new deadline
    assert timezone.localtime(case.response_due_at, SHANGHAI) == at(2026, 3, 2, 11, 0)
    assert selectors.sla_countdown(case, now=at(2026, 3, 11, 17, 0))[0]  # the clock runs


def test_the_sweeper_warns_and_escalates_a_reopened_case_once(closed, crm_a):
    case = reopen(closed, crm_a, at(2026, 3, 9, 9, 0))
    # Before the new deadline's warning window: nothing (the old deadline is gone).
    assert sweep.sla_sweep(now=at(2026, 3, 9, 10, 0)) == {"warned": 0, "company": 0, "group": 0}
    assert sweep.sla_sweep(now=at(2026, 3, 11, 16, 0))["warned"] == 1
    assert sweep.sla_sweep(now=at(2026, 3, 11, 16, 1))["warned"] == 0
    assert sweep.sla_sweep(now=at(2026, 3, 11, 18, 30))["company"] == 1
    assert sweep.sla_sweep(now=at(2026, 3, 11, 18, 31))["company"] == 0
    case.refresh_from_db()
    assert case.escalation == Case.Escalation.COMPANY


def test_a_level_reached_before_the_reopening_is_not_reached_again(closed, crm_a):
    Case.objects.filter(pk=closed.pk).update(
        escalation=Case.Escalation.COMPANY, escalated_company_at=at(2026, 3, 3, 12, 0)
    )
    closed.refresh_from_db()
    reopen(closed, crm_a, at(2026, 3, 9, 9, 0))
    assert sweep.sla_sweep(now=at(2026, 3, 11, 18, 30))["company"] == 0


def test_waiting_on_the_owner_stops_the_new_clock(closed, crm_a):
    case = reopen(closed, crm_a, at(2026, 3, 9, 9, 0))
    with time_machine.travel(at(2026, 3, 9, 10, 0), tick=False):
        case = services.case_act(case=case, action="pause", by=crm_a, reason="业主出差")
    assert sweep.sla_sweep(now=at(2026, 3, 12, 9, 0)) == {"warned": 0, "company": 0, "group": 0}
    # Resumed on Tuesday 10 March at 10:00: the day it stood still is added to the new
    # deadline (not to the first one, which ran from the intake).
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        case = services.case_act(case=case, action="resume", by=crm_a)
    assert timezone.localtime(case.resolve_due_at, SHANGHAI) == at(2026, 3, 12, 18, 0)


def test_the_queue_shows_a_breached_reopened_case(closed, crm_a):
    reopen(closed, crm_a, at(2026, 3, 9, 9, 0))
    breached = selectors.case_queue(crm_a, view="breached", now=at(2026, 3, 12, 9, 0))
    assert closed.pk in {case.pk for case in breached}
    near = selectors.case_queue(crm_a, view="near_breach", now=at(2026, 3, 11, 16, 0))
    assert closed.pk in {case.pk for case in near}
