"""Bad date/time filter values answer 400 with a message, never 500 (issue 7, defect 4:
an offset of +17:03 reached PostgreSQL, which refuses offsets past ±15:59)."""

import contextlib
import datetime
import importlib
import inspect
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import Visit
from org.models import Role
from tests.customers.factories import CustomerFactory
from tests.factories import make_staff
from vanke_crm.filters import DateTimeField

from .openapi import assert_documented

pytestmark = pytest.mark.django_db


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff(company_a):
    return make_staff(Role.COMPANY_CRM, company_a, username="crm_dates")


@pytest.fixture
def visit(company_a, project_a):
    customer = CustomerFactory(company=company_a)
    at = datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.UTC)
    return Visit.objects.create(customer=customer, project=project_a, visited_at=at)


def test_out_of_range_offset_is_400_with_message(staff):
    response = api(staff).get("/api/v1/visits/", {"visited_after": "2026-01-01T00:00:00+17:03"})
    assert response.status_code == 400
    body = response.json()
    assert body["visited_after"] == ["Enter a time zone offset between -12:00 and +14:00."]
    assert "visited_after" in body["detail"]
    assert_documented(response, "GET", "/api/v1/visits/")


def test_message_is_translated(staff):
    response = api(staff, "zh-hans").get(
        "/api/v1/visits/", {"visited_before": "2026-01-01T00:00:00-13:00"}
    )
    assert response.status_code == 400
    assert response.json()["visited_before"] == ["请输入 -12:00 到 +14:00 之间的时区偏移。"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # Valid for Python, but out of range once in UTC.
        ("0001-01-01T00:00:00+08:00", "Enter a date and time between the years 1 and 9999."),
        ("9999-12-31T23:59:59-08:00", "Enter a date and time between the years 1 and 9999."),
        ("2026-01-01T00:00:00+24:00", "Enter a date and time such as 2026-01-01T09:30:00+08:00."),
        ("2026-02-30T00:00:00", "Enter a date and time such as 2026-01-01T09:30:00+08:00."),
        ("yesterday", "Enter a date and time such as 2026-01-01T09:30:00+08:00."),
    ],
)
def test_unusable_values_are_400(staff, value, message):
    response = api(staff).get("/api/v1/visits/", {"visited_after": value})
    assert response.status_code == 400
    assert response.json()["visited_after"] == [message]


@pytest.mark.parametrize(
    ("after", "found"),
    [
        ("2026-01-01T09:00:00+08:00", True),  # 01:00 UTC
        ("2026-01-01T09:00:01+08:00", False),
        ("2026-01-01T15:00:00+14:00", True),  # the furthest offsets in use
        ("2025-12-31T13:00:01-12:00", False),
        ("2026-01-01T09:00:00", True),  # no offset: the site's time zone (Asia/Shanghai)
    ],
)
def test_offsets_in_use_filter_in_utc(staff, visit, after, found):
    response = api(staff).get("/api/v1/visits/", {"visited_after": after})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == ([visit.pk] if found else [])


def test_field_returns_utc():
    value = DateTimeField().clean("2026-01-01T00:00:00+14:00")
    assert value == datetime.datetime(2025, 12, 31, 10, 0, tzinfo=datetime.UTC)
    assert value.utcoffset() == datetime.timedelta(0)


def _project_filtersets():
    """Every FilterSet of the project (API and pages), after importing their modules."""
    for app in apps.get_app_configs():
        for module in ("filters", "api.filters", "api.views"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app.name}.{module}")
    found, todo = set(), list(django_filters.FilterSet.__subclasses__())
    while todo:
        filterset = todo.pop()
        todo.extend(filterset.__subclasses__())
        path = Path(inspect.getfile(filterset))
        if path.is_relative_to(settings.BASE_DIR) and ".venv" not in path.parts:
            found.add(filterset)
    return found


def test_every_date_time_filter_is_the_projects():
    """A new FilterSet with a date/time filter must use vanke_crm.filters.DateTimeFilter."""
    filtersets = _project_filtersets()
    assert {"CustomerFilter", "VisitFilter", "UnitFilter"} <= {f.__name__ for f in filtersets}
    for filterset in filtersets:
        for name, declared in filterset.base_filters.items():
            field_class = declared.field_class
            if issubclass(field_class, forms.DateTimeField):
                assert issubclass(field_class, DateTimeField), f"{filterset.__name__}.{name}"


def test_pages_ignore_bad_date_values(client, company_a, staff):
    client.force_login(staff)
    bad = {"date": "2026-01-01T00:00:00+17:03", "visited_after": "0001-01-01T00:00:00+08:00"}
    for name in ("customers:list", "customers:revisits", "customers:lifecycle", "org:workbench"):
        assert client.get(reverse(name), bad).status_code == 200, name
