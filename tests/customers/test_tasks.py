import datetime

import pytest
import time_machine

from customers import tasks
from customers.models import RevisitTask
from customers.services import ownership_create

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_revisit_task_creates_due_revisits_once(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2019, 1, 5),
        contracted_on=datetime.date(2019, 2, 1),
        handover_on=datetime.date(2020, 6, 30),
    )
    with time_machine.travel(datetime.datetime(2024, 7, 1, 3, 0), tick=False):
        assert tasks.create_due_revisits() == 1
        assert tasks.create_due_revisits() == 0
    assert RevisitTask.objects.get().due_on == datetime.date(2024, 6, 30)


def test_refresh_steps_task_moves_owners_on(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    with time_machine.travel(datetime.datetime(2025, 1, 10, 3, 0), tick=False):
        ownership_create(
            customer=customer,
            unit=unit_a,
            by=crm_a,
            subscribed_on=datetime.date(2023, 1, 5),
            contracted_on=datetime.date(2023, 2, 1),
            handover_on=datetime.date(2025, 1, 1),
        )
    customer.refresh_from_db()
    assert customer.step == "5_first_months"
    with time_machine.travel(datetime.datetime(2026, 2, 1, 3, 0), tick=False):
        assert tasks.refresh_steps() == 1
    customer.refresh_from_db()
    assert customer.step == "6_after_first_year"
