import datetime

import pytest
from django.utils import translation

from club.models import FollowUp
from customers.models import Customer, Ownership, Visit
from customers.services import customer_merge, merge_preview, ownership_create, visit_register
from customers.timeline import timeline_for
from org.scoping import RoleRequired
from vanke_crm.errors import InvalidInput

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates(project_a, unit_a, crm_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the club hears of the visits
        survivor = visit_register(
            project=project_a, by=crm_a, name="张三", mobile="13800138000"
        ).customer
        loser = visit_register(
            project=project_a, by=crm_a, name="张叁", mobile="13900139000"
        ).customer
    ownership_create(customer=loser, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 1))
    return survivor, loser


@pytest.mark.smoke
def test_merge_moves_units_visits_and_timeline_to_survivor(duplicates, crm_a):
    survivor, loser = duplicates
    with translation.override("en"):
        preview = merge_preview(source=loser, target=survivor, by=crm_a)
    assert preview["Units (ownerships)"] == 1 and preview["Visits"] == 1
    customer_merge(source=loser, target=survivor, by=crm_a)
    loser.refresh_from_db()
    survivor.refresh_from_db()
    assert loser.merged_into == survivor
    assert Ownership.objects.get().customer == survivor
    assert Visit.objects.filter(customer=survivor).count() == 2
    assert FollowUp.objects.filter(customer=survivor).count() == 2
    assert survivor.kind == Customer.Kind.OWNER
    with translation.override("en"):
        events = timeline_for(survivor)
    assert sum("Subscribed" in e.title for e in events) == 1
    assert sum("visit" in e.title.lower() for e in events) == 2
    reasons = list(survivor.history.values_list("history_change_reason", flat=True))
    assert any(r and "张叁" in r for r in reasons)


def test_merge_with_itself_is_refused(duplicates, crm_a):
    survivor, _ = duplicates
    with pytest.raises(InvalidInput):
        customer_merge(source=survivor, target=survivor, by=crm_a)


def test_merge_across_companies_needs_group_rights(company_a, company_b, crm_a, group_staff):
    a = CustomerFactory(company=company_a)
    b = CustomerFactory(company=company_b)
    crm_a.memberships.create(company=company_b, role="company_crm")
    crm_a.__dict__.pop("scope", None)
    with pytest.raises(RoleRequired):
        customer_merge(source=b, target=a, by=crm_a)
    customer_merge(source=b, target=a, by=group_staff)
    b.refresh_from_db()
    assert b.merged_into == a


@pytest.fixture
def zhangsan(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a, name="张三", mobile="+8613812345678")
    ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 1)
    )
    return customer


@pytest.mark.parametrize(
    "text", ["张三", "zhangsan", "zs", "ZhangSan", "5678", "13812345678", "3-2-1201"]
)
def test_search_finds_zhangsan(zhangsan, crm_a, text):
    assert list(Customer.objects.for_user(crm_a).active().search(text)) == [zhangsan]


def test_search_never_returns_other_companies_customers(zhangsan, crm_b, company_b):
    CustomerFactory(company=company_b, name="张三", mobile="+8613812340000")
    for text in ["张三", "zhangsan", "zs", "5678", "3-2-1201"]:
        found = Customer.objects.for_user(crm_b).active().search(text)
        assert zhangsan not in found


def test_search_by_id_number_only_when_allowed_and_only_the_whole_number(zhangsan, crm_a):
    mine = Customer.objects.for_user(crm_a)
    assert list(mine.search(zhangsan.id_number, id_numbers=True)) == [zhangsan]
    assert list(mine.search(zhangsan.id_number.lower(), id_numbers=True)) == [zhangsan]
    assert not mine.search(zhangsan.id_number[:12], id_numbers=True).exists()
    assert not mine.search(zhangsan.id_number).exists()
