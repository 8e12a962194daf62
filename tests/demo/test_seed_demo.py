import io

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from demo.people import COMPANIES, DEMO_PASSWORD, STAFF
from org.models import Company, Membership, Role, Unit


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "org",
            "accounts",
            "customers",
            "complaints",
            "handover",
            "surveys",
            "club",
            "notifications",
        }
    }


def _check_showcase_and_pending_cancellations():
    """Issue 8: the manager has cancellations to decide; 张三's checklist is ticked."""
    from customers.models import Customer, Ownership
    from customers.selectors import checklist

    for company in Company.objects.all():
        pending = Ownership.objects.filter(
            customer__company=company, status=Ownership.Status.CANCEL_PENDING
        )
        assert pending.count() >= 2
        assert all(o.cancel_reason and o.cancel_requested_by_id for o in pending)
    zhang = Customer.objects.get(company__code="sz", name="张三", mobile__startswith="+86186")
    points = list(checklist(zhang))
    assert points and sum(1 for p in points if p.done_at) >= 2


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time():
    call_command("seed_demo", stdout=io.StringIO())
    _check_showcase_and_pending_cancellations()
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert Company.objects.count() == len(COMPANIES)
    assert Unit.objects.count() > 3000
    # Issue 4: demo customers at every 6+2 step, each showing the step its data gives.
    from customers.models import Customer, LifecycleStep
    from customers.services import step_for

    assert Customer.objects.count() > 20_000
    from accounts.phone import normalize_mobile

    mobiles = Customer.objects.values_list("mobile", flat=True)
    assert [m for m in mobiles if normalize_mobile(m) != m] == []  # every one editable
    steps = set(Customer.objects.values_list("step", flat=True).distinct())
    assert steps == set(LifecycleStep.values)
    sample = Customer.objects.prefetch_related("ownerships").select_related("company")
    for step in LifecycleStep.values:
        for customer in sample.filter(step=step)[:20]:
            assert step_for(customer, list(customer.ownerships.all())) == customer.step


@pytest.mark.django_db
def test_seed_demo_gives_every_company_one_login_per_role():
    call_command("seed_demo", stdout=io.StringIO())
    for company in Company.objects.all():
        roles = set(Membership.objects.filter(company=company).values_list("role", flat=True))
        assert {Role.COMPANY_CRM, Role.HANDLER, Role.MANAGER} <= roles
    assert Membership.objects.filter(role=Role.GROUP_CRM, company=None).exists()
    crm = User.objects.get(username="sz_crm")
    assert crm.check_password(DEMO_PASSWORD)
    assert User.objects.filter(kind=User.Kind.STAFF).count() == 1 + len(COMPANIES) * len(STAFF)
