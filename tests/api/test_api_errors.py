"""Responses match the schema (issue 7, defect 4), including the cases schemathesis
found: a blank visit source, the customer returned by a write, error bodies with
`detail`, and JSON 404s for URLs no route matches."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import Visit
from customers.services import ownership_create
from org.models import Role
from tests.customers.factories import CustomerFactory
from tests.factories import BuildingFactory, UnitFactory, make_staff
from vanke_crm.api import with_detail

from .openapi import api_schema, assert_documented

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def staff(company_a):
    return make_staff(Role.COMPANY_CRM, company_a, username="crm_schema")


@pytest.fixture
def owner(company_a, project_a, staff):
    customer = CustomerFactory(company=company_a, name="王五")
    unit = UnitFactory(building=BuildingFactory(project=project_a, number="3"), code="3-2-1201")
    subscribed = datetime.date(2024, 3, 1)
    ownership_create(customer=customer, unit=unit, by=staff, subscribed_on=subscribed)
    return customer


def test_visit_without_source_matches_schema(staff, owner, project_a):
    revisit = Visit.objects.create(
        customer=owner, project=project_a, kind=Visit.Kind.REVISIT, visited_at=timezone.now()
    )
    client = api(staff)
    listed = client.get("/api/v1/visits/")
    assert listed.json()["results"][0]["source"] == ""
    assert_documented(listed, "GET", "/api/v1/visits/")
    assert_documented(client.get(f"/api/v1/visits/{revisit.pk}/"), "GET", "/api/v1/visits/{id}/")


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_customer_update_answers_with_units(staff, owner, company_a, method):
    body = {"company": company_a.pk, "name": "王五一", "mobile": owner.mobile}
    send = getattr(api(staff), method.lower())
    response = send(f"/api/v1/customers/{owner.pk}/", body, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "王五一"
    assert [row["unit_code"] for row in response.json()["units"]] == ["3-2-1201"]
    assert_documented(response, method, "/api/v1/customers/{id}/")


def test_customer_create_answers_with_units(staff, company_a):
    body = {"company": company_a.pk, "name": "赵六", "mobile": "13600001111"}
    response = api(staff).post("/api/v1/customers/", body, format="json")
    assert response.status_code == 201
    assert response.json()["units"] == []
    assert_documented(response, "POST", "/api/v1/customers/")


def test_token_endpoint_400_has_detail(db):
    response = api().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["username"] == ["This field is required."]
    assert body["detail"] == "Please correct these fields: username, password."
    assert_documented(response, "POST", "/api/v1/auth/token/")


def test_filter_and_body_errors_have_detail_and_are_documented(staff, company_a):
    client = api(staff)
    refused = client.get("/api/v1/customers/", {"project": 999_999})
    assert refused.status_code == 400
    assert "project" in refused.json()["detail"]
    assert_documented(refused, "GET", "/api/v1/customers/")
    invalid = client.post("/api/v1/customers/", {"company": company_a.pk}, format="json")
    assert invalid.status_code == 400 and "name" in invalid.json()
    assert_documented(invalid, "POST", "/api/v1/customers/")


def test_general_messages_become_one_detail_string():
    """Domain refusals and view-level ValidationErrors carry lists; `detail` is a string."""
    assert with_detail({"detail": ["Not possible."]}) == {"detail": "Not possible."}
    assert with_detail(["Not possible.", "Ask a manager."]) == {
        "non_field_errors": ["Not possible.", "Ask a manager."],
        "detail": "Not possible. Ask a manager.",
    }


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("GET", "/api/v1/units/0.5/", "/api/v1/units/{id}/"),
        ("PATCH", "/api/v1/customers/0.5/", "/api/v1/customers/{id}/"),
        ("POST", "/api/v1/inbox/%C2%84/read/", "/api/v1/inbox/{id}/read/"),
    ],
)
def test_urls_no_route_matches_answer_json_404(staff, method, path, template):
    response = getattr(api(staff), method.lower())(path, {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    assert_documented(response, method, template)


def test_unknown_api_url_without_slash_still_redirects(staff):
    assert api(staff).get("/api/v1/units").status_code == 301


def test_page_404_is_still_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_errors():
    for path, methods in api_schema().raw_schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            if operation.get("security"):
                assert {"403", "404"} <= codes, f"{method} {path}"
            parameters = operation.get("parameters", [])
            if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
                assert "400" in codes, f"{method} {path}"


def test_an_unknown_api_url_answers_404_json_to_any_method_without_a_csrf_token():
    """not_found is csrf_exempt: it answers the same 404 to a cross-site POST and
    changes nothing (there is nothing behind it)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing/", {"x": "<script>"})
        assert response.status_code == 404, method
        assert response["Content-Type"] == "application/json"
        assert list(response.json()) == ["detail"] and response.json()["detail"]
