import datetime

import pytest
from rest_framework.test import APIClient

from customers.services import ownership_create, visit_register

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_customer_api_is_scoped_and_filters_cannot_escape(crm_a, company_a, company_b, project_b):
    mine = CustomerFactory(company=company_a, name="张三")
    theirs = CustomerFactory(company=company_b, name="张三")
    client = api(crm_a)
    ids = [row["id"] for row in client.get("/api/v1/customers/").json()["results"]]
    assert ids == [mine.pk]
    for params in ({"q": "zs"}, {"project": project_b.pk}, {"q": theirs.mobile[-4:]}):
        rows = client.get("/api/v1/customers/", params).json()
        assert theirs.pk not in [r["id"] for r in rows.get("results", [])]
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 404


def test_group_staff_see_both_companies_and_masked_id_numbers(
    group_staff, company_a, company_b, crm_a
):
    a = CustomerFactory(company=company_a)
    CustomerFactory(company=company_b)
    assert api(group_staff).get("/api/v1/customers/").json()["count"] == 2
    # A full number only through the recorded reveal (test_id_number_privacy.py).
    for user in (group_staff, crm_a):
        masked = api(user).get(f"/api/v1/customers/{a.pk}/").json()["id_number"]
        assert masked == a.id_number_masked and a.id_number[-4:] not in masked


def test_handler_gets_403(handler_a):
    assert api(handler_a).get("/api/v1/customers/").status_code == 403


def test_create_with_bad_id_number_is_400_with_message(crm_a, company_a):
    response = api(crm_a).post(
        "/api/v1/customers/",
        {
            "company": company_a.pk,
            "name": "王五",
            "mobile": "13700001111",
            "id_number": "440305198501010000",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "id_number" in response.json()


def test_create_in_other_company_is_404(crm_a, company_b):
    response = api(crm_a).post(
        "/api/v1/customers/",
        {"company": company_b.pk, "name": "王五", "mobile": "13700001111"},
        format="json",
    )
    assert response.status_code == 404


def test_register_visit_through_api(crm_a, project_a):
    client = api(crm_a)
    response = client.post(
        "/api/v1/visits/register/",
        {"project": project_a.pk, "name": "赵六", "mobile": "13600001111"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_first"] is True
    again = client.post(
        "/api/v1/visits/register/",
        {"project": project_a.pk, "name": "赵六", "mobile": "13600001111"},
        format="json",
    )
    assert again.json()["is_first"] is False
    assert client.get("/api/v1/customers/").json()["count"] == 1


def test_ownerships_and_visits_are_scoped(crm_a, crm_b, project_a, unit_a):
    customer = visit_register(
        project=project_a, by=crm_a, name="张三", mobile="13800138000"
    ).customer
    ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 1)
    )
    assert api(crm_a).get("/api/v1/ownerships/").json()["count"] == 1
    assert api(crm_b).get("/api/v1/ownerships/").json()["count"] == 0
    assert api(crm_b).get("/api/v1/visits/").json()["count"] == 0
    assert api(crm_b).get("/api/v1/visits/", {"customer": customer.pk}).status_code == 400


def test_filter_by_another_companys_customer_is_refused_like_an_unknown_id(crm_a, company_b):
    theirs = CustomerFactory(company=company_b)
    client = api(crm_a)
    foreign = client.get("/api/v1/ownerships/", {"customer": theirs.pk})
    unknown = client.get("/api/v1/ownerships/", {"customer": 999_999})
    assert foreign.status_code == unknown.status_code == 400


def test_put_back_what_get_returned_keeps_the_id_number(crm_a, company_a):
    customer = CustomerFactory(company=company_a)
    client = api(crm_a)
    data = client.get(f"/api/v1/customers/{customer.pk}/").json()
    payload = {k: v for k, v in data.items() if k not in ("units", "step_label", "consent_at")}
    response = client.put(f"/api/v1/customers/{customer.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    stored = customer.id_number
    customer.refresh_from_db()
    assert customer.id_number == stored
