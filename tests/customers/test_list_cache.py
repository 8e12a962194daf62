"""The customer list and the customers API serve their pages from the cache while
nothing they show changed (vanke_crm.listcache, decision 0024): every write a user makes
shows on the next request, colleagues share a page, other companies never do, and a
cache outage only costs speed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer, LifecycleStep
from customers.services import customers as customer_services
from customers.services import lifecycle
from tests.factories import BuildingFactory, UnitFactory, UserFactory
from vanke_crm import listcache

from .factories import CustomerFactory, OwnershipFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "en"
    return client


def listed(client, **params) -> str:
    response = client.get(reverse("customers:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def customer_queries(client, url=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url or reverse("customers:list")).status_code == 200
    return sum('FROM "customers_customer"' in q["sql"] for q in queries.captured_queries)


def test_a_second_request_reads_no_customer_rows(client, crm_a, company_a):
    CustomerFactory(company=company_a, name="王五")
    login(client, crm_a)
    assert "王五" in listed(client)
    assert customer_queries(client) == 0


def test_a_new_and_an_edited_customer_show_at_once(client, crm_a, company_a):
    customer = CustomerFactory(company=company_a, name="王五")
    login(client, crm_a)
    assert "王五" in listed(client)
    customer_services.customer_create(
        company=company_a, by=crm_a, name="赵六", mobile="13800138001"
    )
    customer_services.customer_update(customer=customer, by=crm_a, name="王五一")
    html = listed(client)
    assert "赵六" in html and "王五一" in html


def test_a_renamed_project_and_a_new_unit_show_at_once(client, crm_a, company_a, project_a):
    customer = CustomerFactory(company=company_a, name="王五")
    unit = UnitFactory(building=BuildingFactory(project=project_a))
    login(client, crm_a)
    assert unit.code not in listed(client)
    OwnershipFactory(customer=customer, unit=unit)
    assert unit.code in listed(client)
    project_a.name = "翡翠新城"
    project_a.save()
    assert "翡翠新城" in listed(client)


def test_the_step_sweeps_changes_show_at_once(client, crm_a, company_a, project_a):
    customer = CustomerFactory(company=company_a, name="王五")
    OwnershipFactory(
        customer=customer,
        unit=UnitFactory(building=BuildingFactory(project=project_a)),
        status="handed_over",
        contracted_on=datetime.date(2024, 3, 2),
        handover_on=datetime.date(2024, 6, 1),
    )
    Customer.objects.filter(pk=customer.pk).update(step=LifecycleStep.choices[0][0])
    listcache.touch(company_a.pk)
    login(client, crm_a)
    before = listed(client)
    assert lifecycle.steps_refresh_all(company=company_a) == 1  # a QuerySet.update inside
    customer.refresh_from_db()
    label = dict(LifecycleStep.choices)[customer.step]
    html = listed(client)
    assert html != before and str(label) in html


def test_colleagues_share_a_page_and_other_companies_never_do(
    client, crm_a, crm_b, company_a, company_b
):
    CustomerFactory(company=company_a, name="王五")
    CustomerFactory(company=company_b, name="钱七")
    login(client, crm_a)
    listed(client)
    colleague = UserFactory()
    colleague.memberships.create(company=company_a, role="company_crm")
    login(client, colleague)
    assert customer_queries(client) == 0  # the page crm_a's request rendered
    html = listed(client)
    assert "王五" in html and "钱七" not in html
    login(client, crm_b)
    html = listed(client)
    assert "钱七" in html and "王五" not in html


def test_the_filters_and_the_language_are_part_of_the_page(client, crm_a, company_a):
    CustomerFactory(company=company_a, name="王五", kind="owner")
    CustomerFactory(company=company_a, name="钱七", kind="prospect")
    login(client, crm_a)
    assert "钱七" in listed(client)
    html = listed(client, kind="owner")
    assert "王五" in html and "钱七" not in html
    assert "customers" in listed(client)
    client.cookies["django_language"] = "zh-hans"
    assert "位客户" in listed(client) or "客户" in listed(client)


def test_with_the_cache_down_the_list_still_answers(client, crm_a, company_a, monkeypatch):
    CustomerFactory(company=company_a, name="王五")
    login(client, crm_a)

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(listcache.cache, "get_many", down)
    assert "王五" in listed(client)
    assert customer_queries(client) >= 1  # built every time, as if nothing were cached


def test_the_api_list_is_cached_and_moves_on_with_a_write(client, crm_a, company_a):
    customer = CustomerFactory(company=company_a, name="王五")
    login(client, crm_a)
    url = reverse("customer-list")
    assert client.get(url).json()["results"][0]["name"] == "王五"
    assert customer_queries(client, url) == 0
    customer_services.customer_update(customer=customer, by=crm_a, name="王五一")
    assert client.get(url).json()["results"][0]["name"] == "王五一"
    # The links in a cached page hold the host they were asked on.
    for n in range(60):
        CustomerFactory(company=company_a, name=f"客户{n}")
    first = client.get(url, HTTP_HOST="localhost").json()
    other = client.get(url, HTTP_HOST="127.0.0.1").json()
    assert "//localhost/" in first["next"] and "//127.0.0.1/" in other["next"]
