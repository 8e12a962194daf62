"""Every history row names who acted: the person in a request, the person who
confirmed an import when the worker runs it (tests/customers/test_import_export.py),
"System" for beat jobs."""

import datetime

import pytest

from audit.acting import SYSTEM_USERNAME, acting, current_actor, system_user
from customers.models import RevisitTask
from customers.services import ownership_create
from customers.tasks import create_due_revisits

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_acting_sets_and_restores_the_actor(crm_a, manager_a):
    assert current_actor() is None
    with acting(crm_a):
        with acting(manager_a):
            assert current_actor() == manager_a
        assert current_actor() == crm_a
    assert current_actor() is None


def test_the_system_account_cannot_sign_in_and_is_made_once(db):
    first, second = system_user(), system_user()
    assert first == second and first.username == SYSTEM_USERNAME
    assert not first.is_active and not first.has_usable_password()


def test_rows_written_by_a_beat_job_name_the_system(crm_a, company_a, unit_a):
    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2015, 1, 5),
        contracted_on=datetime.date(2015, 2, 1),
        handover_on=datetime.date(2016, 6, 1),
    )
    assert create_due_revisits() >= 1
    records = RevisitTask.history.all()
    assert records and {r.history_user.username for r in records} == {SYSTEM_USERNAME}
