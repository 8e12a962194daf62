import datetime

import pytest
from django.urls import reverse

from customers.models import WorkPoint
from customers.policy import effective
from customers.services import ownership_create
from customers.services.ownership import cancellation_window_end

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")


def test_company_sets_its_cancellation_window_and_sees_where_it_comes_from(
    client, crm_a, company_a, unit_a
):
    assert effective(company_a, "cancellation_window_days").source == "group"
    _login(client, crm_a)
    url = reverse("customers:settings", args=[company_a.pk])
    response = client.post(url, {"action": "policy", "cancellation_window_days": "7"})
    assert response.status_code == 302
    value = effective(company_a, "cancellation_window_days")
    assert (value.value, value.source) == (7, "company")
    ownership = ownership_create(
        customer=CustomerFactory(company=company_a),
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2026, 3, 1),
    )
    assert cancellation_window_end(ownership) == datetime.date(2026, 3, 8)
    assert "company setting" in client.get(url).content.decode()


def test_out_of_range_setting_is_refused_with_message(client, crm_a, company_a):
    _login(client, crm_a)
    response = client.post(
        reverse("customers:settings", args=[company_a.pk]),
        {"action": "policy", "cancellation_window_days": "90"},
    )
    assert response.status_code == 200
    assert "from 0 to 30" in response.content.decode()
    assert effective(company_a, "cancellation_window_days").source == "group"


def test_company_adds_and_deactivates_its_own_work_point(client, crm_a, company_a, company_b):
    _login(client, crm_a)
    client.post(
        reverse("customers:settings", args=[company_a.pk]),
        {"action": "work_point", "step": "3_waiting", "label": "Parents' day at the site"},
    )
    point = WorkPoint.objects.get(company=company_a)
    assert point.step == "3_waiting" and point.is_active
    client.post(reverse("customers:workpoint_active", args=[point.pk]), {"company": company_a.pk})
    point.refresh_from_db()
    assert not point.is_active
    default = WorkPoint.objects.filter(company=None).first()
    client.post(reverse("customers:workpoint_active", args=[default.pk]))
    default.refresh_from_db()
    assert default.is_active  # group defaults are the group's


def test_other_company_settings_are_404_and_handlers_403(client, crm_b, handler_a, company_a):
    _login(client, crm_b)
    assert client.get(reverse("customers:settings", args=[company_a.pk])).status_code == 404
    client.logout()
    _login(client, handler_a)
    assert client.get(reverse("customers:settings", args=[company_a.pk])).status_code == 403
