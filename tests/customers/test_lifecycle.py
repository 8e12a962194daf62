import datetime

import pytest

from customers.models import LifecycleStep, RevisitTask, Visit, WorkPoint, WorkPointCheck
from customers.services import (
    ownership_create,
    revisit_record,
    revisits_sweep,
    step_for,
    steps_refresh_all,
    workpoint_tick,
)
from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import IllegalTransition

from .factories import CustomerFactory, OwnershipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)
D = datetime.timedelta


@pytest.mark.parametrize(
    ("fields", "step"),
    [
        ({}, LifecycleStep.VIEWING),
        ({"own": {}}, LifecycleStep.SIGNING),
        (
            {"own": {"contracted_on": TODAY - D(100), "delivery_due_on": TODAY + D(300)}},
            LifecycleStep.WAITING,
        ),
        (
            {"own": {"contracted_on": TODAY - D(300), "delivery_due_on": TODAY + D(30)}},
            LifecycleStep.MOVE_IN,
        ),
        (
            {"own": {"contracted_on": TODAY - D(500), "handover_on": TODAY - D(60)}},
            LifecycleStep.FIRST_MONTHS,
        ),
        (
            {"own": {"contracted_on": TODAY - D(900), "handover_on": TODAY - D(400)}},
            LifecycleStep.AFTER_FIRST_YEAR,
        ),
        (
            {"own": {"contracted_on": TODAY - D(2000), "handover_on": TODAY - D(1500)}},
            LifecycleStep.AFTER_WARRANTY,
        ),
    ],
)
def test_step_is_derived_from_the_customers_data(company_a, fields, step):
    customer = CustomerFactory(company=company_a)
    ownerships = []
    if "own" in fields:
        data = {"subscribed_on": TODAY - D(2500), **fields["own"]}
        status = (
            "handed_over"
            if data.get("handover_on")
            else "contracted"
            if data.get("contracted_on")
            else "subscribed"
        )
        ownerships = [OwnershipFactory.build(customer=customer, status=status, **data)]
    assert step_for(customer, ownerships, TODAY) == step


def test_daily_sweep_moves_owners_on_as_time_passes(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer,
        unit=unit_a,
        by=crm_a,
        subscribed_on=TODAY - D(900),
        contracted_on=TODAY - D(800),
        handover_on=TODAY - D(300),
    )
    customer.refresh_from_db()
    assert customer.step == LifecycleStep.FIRST_MONTHS
    assert steps_refresh_all(today=TODAY + D(100)) == 1
    customer.refresh_from_db()
    assert customer.step == LifecycleStep.AFTER_FIRST_YEAR
    assert steps_refresh_all(today=TODAY + D(100)) == 0


def test_ticking_a_work_point_is_audited_and_happens_once(company_a, crm_a):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.get(code="mortgage-risks")
    first = workpoint_tick(customer=customer, work_point=point, by=crm_a)
    again = workpoint_tick(customer=customer, work_point=point, by=crm_a)
    assert first.pk == again.pk
    assert WorkPointCheck.objects.filter(customer=customer).count() == 1
    record = first.history.get()
    assert record.history_type == "+" and record.done_by == crm_a


def test_handler_cannot_tick_and_other_company_gets_404(company_a, handler_a, crm_b):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.get(code="mortgage-risks")
    with pytest.raises(RoleRequired):
        workpoint_tick(customer=customer, work_point=point, by=handler_a)
    with pytest.raises(OutOfScope):
        workpoint_tick(customer=customer, work_point=point, by=crm_b)


def test_four_year_revisit_created_once_even_if_run_twice(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2017, 1, 5),
        contracted_on=datetime.date(2017, 2, 1),
        handover_on=datetime.date(2018, 6, 30),
    )
    assert revisits_sweep(today=TODAY) == 2  # 2022-06-30 and 2026-06-30
    assert revisits_sweep(today=TODAY) == 0
    assert list(RevisitTask.objects.order_by("cycle").values_list("due_on", flat=True)) == [
        datetime.date(2022, 6, 30),
        datetime.date(2026, 6, 30),
    ]


def test_visit_record_closes_the_revisit(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2020, 1, 5),
        contracted_on=datetime.date(2020, 2, 1),
        handover_on=datetime.date(2021, 6, 30),
    )
    revisits_sweep(today=TODAY)
    task = RevisitTask.objects.get()
    visit = revisit_record(task=task, by=crm_a, note="屋面无渗漏，业主满意")
    task.refresh_from_db()
    assert task.status == "done" and task.visit == visit
    assert visit.kind == Visit.Kind.REVISIT
    with pytest.raises(IllegalTransition):
        revisit_record(task=task, by=crm_a, note="again")
