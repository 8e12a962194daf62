import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from customers.models import Customer, Ownership
from customers.services import (
    ownership_cancel,
    ownership_cancel_decide,
    ownership_contract,
    ownership_create,
)
from org.models import Role
from org.scoping import OutOfScope, RoleRequired
from org.services import setting_set
from tests.factories import make_staff
from vanke_crm.errors import IllegalTransition, InvalidInput

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db
SUBSCRIBED = datetime.date(2026, 3, 2)
TZ = "Asia/Shanghai"


@pytest.fixture
def subscription(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    return ownership_create(customer=customer, unit=unit_a, by=crm_a, subscribed_on=SUBSCRIBED)


def _at(day, hour, minute=0):
    return time_machine.travel(
        datetime.datetime(
            day.year,
            day.month,
            day.day,
            hour,
            minute,
            tzinfo=datetime.timezone(datetime.timedelta(hours=8)),
        ),
        tick=False,
    )


def test_ownership_makes_the_customer_an_owner_at_step_2(subscription):
    customer = subscription.customer
    customer.refresh_from_db()
    assert customer.kind == Customer.Kind.OWNER
    assert customer.step == "2_signing"


@pytest.mark.smoke
def test_cancel_on_last_day_of_window_needs_no_reason_and_no_approval(subscription, crm_a):
    with _at(SUBSCRIBED + datetime.timedelta(days=3), 23, 59):
        result = ownership_cancel(ownership=subscription, by=crm_a)
    assert result.status == Ownership.Status.CANCELLED
    assert result.ended_on == SUBSCRIBED + datetime.timedelta(days=3)
    result.customer.refresh_from_db()
    assert result.customer.kind == Customer.Kind.PROSPECT


@pytest.mark.smoke
def test_cancel_the_day_after_the_window_waits_for_approval(subscription, crm_a):
    with _at(SUBSCRIBED + datetime.timedelta(days=4), 0, 0):
        with pytest.raises(ValidationError):
            ownership_cancel(ownership=subscription, by=crm_a)  # no reason given
        result = ownership_cancel(ownership=subscription, by=crm_a, reason="资金周转困难")
    assert result.status == Ownership.Status.CANCEL_PENDING


def test_company_may_lengthen_the_window(subscription, crm_a, company_a):
    setting_set(company=company_a, key="cancellation_window_days", value=7, by=crm_a)
    with _at(SUBSCRIBED + datetime.timedelta(days=6), 10):
        assert ownership_cancel(ownership=subscription, by=crm_a).status == "cancelled"


def test_manager_approves_pending_cancellation(subscription, crm_a, manager_a):
    with _at(SUBSCRIBED + datetime.timedelta(days=10), 10):
        pending = ownership_cancel(ownership=subscription, by=crm_a, reason="换房")
        done = ownership_cancel_decide(ownership=pending, by=manager_a, approve=True)
    assert done.status == Ownership.Status.CANCELLED
    assert done.cancel_decided_by == manager_a


def test_refused_cancellation_returns_to_previous_state(subscription, crm_a, manager_a):
    with _at(SUBSCRIBED + datetime.timedelta(days=10), 10):
        pending = ownership_cancel(ownership=subscription, by=crm_a, reason="换房")
        back = ownership_cancel_decide(ownership=pending, by=manager_a, approve=False)
    assert back.status == Ownership.Status.SUBSCRIBED


def test_crm_staff_cannot_approve_cancellations(subscription, crm_a, company_a):
    other_crm = make_staff(Role.COMPANY_CRM, company_a)
    with _at(SUBSCRIBED + datetime.timedelta(days=10), 10):
        pending = ownership_cancel(ownership=subscription, by=crm_a, reason="换房")
        with pytest.raises(RoleRequired):
            ownership_cancel_decide(ownership=pending, by=other_crm, approve=True)


def test_deciding_without_pending_request_is_illegal(subscription, manager_a):
    with pytest.raises(IllegalTransition):
        ownership_cancel_decide(ownership=subscription, by=manager_a, approve=True)


def test_other_company_cannot_cancel(subscription, crm_b):
    with pytest.raises(OutOfScope):
        ownership_cancel(ownership=subscription, by=crm_b)


def test_contract_before_subscription_is_refused(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    with pytest.raises(ValidationError) as err:
        ownership_create(
            customer=customer,
            unit=unit_a,
            by=crm_a,
            subscribed_on=SUBSCRIBED,
            contracted_on=SUBSCRIBED - datetime.timedelta(days=1),
        )
    assert "contracted_on" in err.value.message_dict
    assert Ownership.objects.count() == 0


def test_contract_then_cancel_always_needs_approval(subscription, crm_a):
    with _at(SUBSCRIBED + datetime.timedelta(days=1), 10):
        ownership_contract(ownership=subscription, contracted_on=SUBSCRIBED, by=crm_a)
        result = ownership_cancel(ownership=subscription, by=crm_a, reason="贷款未批")
    assert result.status == Ownership.Status.CANCEL_PENDING


def test_unit_of_another_company_is_refused(company_a, unit_b, crm_a, group_staff):
    customer = CustomerFactory(company=company_a)
    with pytest.raises(InvalidInput):
        ownership_create(customer=customer, unit=unit_b, by=group_staff, subscribed_on=SUBSCRIBED)


def test_a_unit_has_one_active_owner(subscription, unit_a, crm_a, company_a):
    other = CustomerFactory(company=company_a)
    with pytest.raises(InvalidInput):
        ownership_create(customer=other, unit=unit_a, by=crm_a, subscribed_on=SUBSCRIBED)
    co = ownership_create(
        customer=other,
        unit=unit_a,
        by=crm_a,
        subscribed_on=SUBSCRIBED,
        role=Ownership.Role.CO_OWNER,
    )
    other.refresh_from_db()
    assert co.role == "co_owner" and other.kind == Customer.Kind.CO_OWNER
