"""Defects found in review, each pinned by the behaviour a user would notice."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import Customer, Ownership, Tag, WorkPoint
from customers.services import (
    customer_merge,
    ownership_create,
    steps_refresh_all,
    visit_register,
)
from customers.services.config import workpoint_create
from org.models import Role
from tests.factories import MembershipFactory

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db
BACKEND = "accounts.backends.UsernameOrMobileBackend"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_360_timeline_shows_no_message_of_another_company(
    client, crm_a, crm_b, project_a, project_b
):
    visit_register(project=project_b, by=crm_b, name="张三", mobile="13800001111")
    mine = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800001111").customer
    client.force_login(crm_a, backend=BACKEND)
    html = client.get(reverse("customers:detail", args=[mine.pk])).content.decode()
    assert project_a.name in html
    assert project_b.name not in html


def test_api_refuses_another_companys_tag(crm_a, company_a, company_b):
    foreign = Tag.objects.create(company=company_b, name="VIP")
    client = APIClient()
    client.force_authenticate(crm_a)
    response = client.post(
        "/api/v1/customers/",
        {"company": company_a.pk, "name": "王五", "mobile": "13700001111", "tags": [foreign.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_crm_in_a_and_handler_in_b_reads_only_as_customers(client, crm_a, company_a, company_b):
    MembershipFactory(user=crm_a, company=company_b, role=Role.HANDLER)
    CustomerFactory(company=company_a, name="甲")
    CustomerFactory(company=company_b, name="乙")
    client.force_login(crm_a, backend=BACKEND)
    html = client.get(reverse("customers:list")).content.decode()
    assert "甲" in html and "乙" not in html
    api = APIClient()
    api.force_authenticate(crm_a)
    names = [row["name"] for row in api.get("/api/v1/customers/").json()["results"]]
    assert names == ["甲"]


def test_handler_cannot_list_pending_cancellations(client, handler_a):
    client.force_login(handler_a, backend=BACKEND)
    assert client.get(reverse("customers:cancellations")).status_code == 403


def test_ownership_page_with_a_bad_date_explains_instead_of_failing(
    client, crm_a, company_a, unit_a
):
    customer = CustomerFactory(company=company_a)
    own = ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2026, 3, 1)
    )
    client.force_login(crm_a, backend=BACKEND)
    url = reverse("customers:ownership", args=[own.pk])
    for data, message in (
        ({"action": "contract", "contracted_on": "garbage"}, "Enter a valid date."),
        ({"action": "contract"}, "This field is required."),
        (
            {"action": "contract", "contracted_on": "2026-01-01"},
            "The contract date cannot be before the subscription date.",
        ),
        ({"action": "bogus"}, "This action does not exist for this record."),
        (
            {"action": "hand_over", "handover_on": "2026-04-01"},
            "Only a contracted unit can be handed",
        ),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    own.refresh_from_db()
    assert own.status == "subscribed"


def test_adding_a_unit_from_the_page_moves_the_step(client, crm_a, company_a, project_a, unit_a):
    customer = CustomerFactory(company=company_a)
    client.force_login(crm_a, backend=BACKEND)
    client.post(
        reverse("customers:ownership_add", args=[customer.pk]),
        {
            "project": project_a.pk,
            "unit_code": unit_a.code,
            "role": "owner",
            "subscribed_on": "2026-01-01",
            "contracted_on": "2026-01-10",
            "delivery_due_on": "2028-01-01",
        },
    )
    customer.refresh_from_db()
    assert (customer.kind, customer.step) == ("owner", "3_waiting")


def test_daily_sweep_moves_waiting_buyers_to_move_in(company_a, unit_a, crm_a):
    customer = CustomerFactory(company=company_a)
    today = datetime.date(2026, 11, 24)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0), tick=False):
        ownership_create(
            customer=customer,
            unit=unit_a,
            by=crm_a,
            subscribed_on=datetime.date(2025, 1, 1),
            contracted_on=datetime.date(2025, 1, 10),
            delivery_due_on=today + datetime.timedelta(days=90),
        )
    customer.refresh_from_db()
    assert customer.step == "3_waiting"  # 90 days before delivery; move-in starts at 60
    assert steps_refresh_all(today=today + datetime.timedelta(days=60)) == 1
    customer.refresh_from_db()
    assert customer.step == "4_move_in"


def test_database_refuses_a_second_active_owner(company_a, unit_a, crm_a):
    ownership_create(
        customer=CustomerFactory(company=company_a),
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ownership.objects.create(
            customer=CustomerFactory(company=company_a),
            unit=unit_a,
            subscribed_on=datetime.date(2026, 1, 2),
        )


def test_merge_keeps_one_holding_per_unit(company_a, unit_a, crm_a):
    original = CustomerFactory(company=company_a, name="张伟")
    twin = CustomerFactory(company=company_a, name="张伟")
    ownership_create(
        customer=original,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2025, 1, 1),
        role="co_owner",
    )
    ownership_create(customer=twin, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 1))
    customer_merge(source=twin, target=original, by=crm_a)
    active = Ownership.objects.filter(customer=original, status__in=Ownership.ACTIVE)
    assert [(o.unit_id, o.role) for o in active] == [(unit_a.pk, "owner")]


def test_two_chinese_work_points_in_a_row(company_a, crm_a):
    workpoint_create(company=company_a, by=crm_a, step="3_waiting", label="赠送小礼品")
    workpoint_create(company=company_a, by=crm_a, step="3_waiting", label="回访电话")
    assert WorkPoint.objects.filter(company=company_a).count() == 2


def test_new_customer_with_a_malformed_company_is_404(client, crm_a):
    client.force_login(crm_a, backend=BACKEND)
    assert client.get(reverse("customers:create") + "?company=abc").status_code == 404


def test_a_filter_that_is_not_understood_is_reported(client, crm_a, company_a):
    CustomerFactory(company=company_a, name="甲")
    client.force_login(crm_a, backend=BACKEND)
    html = client.get(reverse("customers:list"), {"project": "abc"}).content.decode()
    assert "were not understood" in html and "甲" in html


def test_all_steps_and_all_kinds_are_not_reported_as_bad_filters(client, crm_a, company_a):
    CustomerFactory(company=company_a, name="甲")
    client.force_login(crm_a, backend=BACKEND)
    html = client.get(reverse("customers:list"), {"q": "", "step": "", "kind": "", "project": ""})
    assert "were not understood" not in html.content.decode()
    assert "甲" in html.content.decode()
