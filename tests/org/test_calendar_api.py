"""GET /api/v1/working-calendar/?company=&year=: the days of a year that differ from
Monday to Friday, scoped like the page (docs/decisions/0023)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from org import working_time as wt
from org.services import working_day_add
from tests.api.openapi import assert_documented

pytestmark = pytest.mark.django_db
URL = "/api/v1/working-calendar/"
PATH = "/api/v1/working-calendar/"


@pytest.fixture(autouse=True)
def early_2026():
    moment = dt.datetime(2026, 1, 20, 10, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def typhoon(company_a, crm_a):
    return working_day_add(
        company=company_a, date=dt.date(2026, 3, 3), is_working=False, reason="台风停工", by=crm_a
    )


def _days(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["date"]: row for row in response.json()["days"]}


def test_company_staff_read_their_year(client, crm_a, company_a, typhoon):
    client.force_login(crm_a)
    response = client.get(URL, {"company": company_a.pk, "year": 2026})
    assert_documented(response, "GET", PATH)
    body = response.json()
    assert (body["company"], body["year"], body["official_known"]) == (company_a.pk, 2026, True)
    days = _days(response)
    assert days["2026-02-16"] | {"source_display": ""} == {
        "date": "2026-02-16",
        "is_working": False,
        "kind": "public_holiday",
        "name": "Spring Festival",
        "source": "official",
        "source_display": "",
        "entry": None,
        "created_by": "",
        "official_name": "",
    }
    assert days["2026-02-14"]["kind"] == "make_up_working_day"
    local = days["2026-03-03"]
    assert (local["kind"], local["name"], local["source"], local["entry"]) == (
        "day_off",
        "台风停工",
        "company",
        typhoon.pk,
    )
    assert local["created_by"] == crm_a.name
    assert [row["date"] for row in body["days"]] == sorted(days)


def test_the_year_defaults_to_this_year(client, manager_a, company_a):
    client.force_login(manager_a)
    response = client.get(URL, {"company": company_a.pk})
    assert response.json()["year"] == 2026


def test_another_company_is_404_and_a_handler_403(
    client, crm_b, handler_a, company_a, company_b, typhoon
):
    client.force_login(crm_b)
    assert client.get(URL, {"company": company_a.pk}).status_code == 404
    assert "2026-03-03" not in _days(client.get(URL, {"company": company_b.pk, "year": 2026}))
    client.force_login(handler_a)
    response = client.get(URL, {"company": company_a.pk})
    assert response.status_code == 403
    assert_documented(response, "GET", PATH)


def test_group_staff_read_any_company_and_the_group_wide_days(
    client, group_staff, crm_a, company_a, company_b, typhoon
):
    working_day_add(
        company=None,
        date=dt.date(2026, 3, 9),
        is_working=False,
        reason="集团活动日",
        by=group_staff,
    )
    client.force_login(group_staff)
    group = _days(client.get(URL, {"year": 2026}))
    assert group["2026-03-09"]["source"] == "group" and "2026-03-03" not in group
    b = _days(client.get(URL, {"company": company_b.pk, "year": 2026}))
    assert b["2026-03-09"]["source"] == "group"
    a = _days(client.get(URL, {"company": company_a.pk, "year": 2026}))
    assert {"2026-03-03", "2026-03-09"} <= set(a)
    client.force_login(crm_a)
    assert client.get(URL, {"year": 2026}).status_code == 403  # the group-wide days alone


def test_bad_queries_are_400_with_the_field(client, crm_a, company_a):
    client.force_login(crm_a)
    for query, field in (
        ({"company": "abc"}, "company"),
        ({"company": 2**40}, "company"),
        ({"company": company_a.pk, "year": 1999}, "year"),
        ({"company": company_a.pk, "year": "next"}, "year"),
    ):
        response = client.get(URL, query)
        assert response.status_code == 400 and field in response.json(), query
        assert_documented(response, "GET", PATH)


def test_a_year_the_package_does_not_know(client, crm_a, company_a):
    client.force_login(crm_a)
    year = wt.OFFICIAL_YEARS[-1] + 1
    body = client.get(URL, {"company": company_a.pk, "year": year}).json()
    assert (body["official_known"], body["days"]) == (False, [])


def test_listed_in_the_api_root(client):
    endpoints = client.get("/api/v1/").json()["endpoints"]
    assert endpoints["working_calendar"] == f"http://testserver{URL}"
