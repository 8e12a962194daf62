import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import tasks
from customers.models import LifecycleStep, Ownership, WorkPoint
from customers.services import ownership_create, steps_refresh_all
from customers.services.ownership import cancellation_window_end
from org.company_settings import effective

from .factories import CustomerFactory, OwnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")


def test_company_sets_its_cancellation_window_and_sees_where_it_comes_from(
    client, crm_a, company_a, unit_a
):
    assert effective(company_a, "cancellation_window_days").source == "default"
    _login(client, crm_a)
    url = reverse("customers:settings", args=[company_a.pk])
    page = client.get(url).content.decode()
    assert "3 days" in page and "declared default" in page
    assert reverse("org:company_settings", args=[company_a.pk]) in page
    response = client.post(
        reverse("org:company_settings", args=[company_a.pk]),
        {"cancellation_window_days": "7", "move_in_lead_days": "", "warranty_years": ""},
    )
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
        reverse("org:company_settings", args=[company_a.pk]),
        {"cancellation_window_days": "90", "move_in_lead_days": "", "warranty_years": ""},
    )
    assert response.status_code == 200
    assert "must be at most 30 days" in response.content.decode()
    assert effective(company_a, "cancellation_window_days").source == "default"


def _owner(company, unit, **dates):
    customer = CustomerFactory(company=company)
    OwnershipFactory(
        customer=customer,
        unit=unit,
        status=Ownership.Status.HANDED_OVER,
        subscribed_on=dates["contracted_on"],
        **dates,
    )
    return customer


def test_saving_a_length_queues_the_company_sweep_instead_of_running_it(
    client, crm_a, company_a, unit_a, monkeypatch, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    customer = _owner(
        company_a,
        unit_a,
        contracted_on=today - datetime.timedelta(days=1500),
        handover_on=today - datetime.timedelta(days=3 * 365),
    )
    steps_refresh_all()
    customer.refresh_from_db()
    assert customer.step == LifecycleStep.AFTER_WARRANTY  # 3 years > the 2-year default
    queued = []
    monkeypatch.setattr(tasks.refresh_steps, "delay", lambda **kw: queued.append(kw))
    _login(client, crm_a)
    url = reverse("org:company_settings", args=[company_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"warranty_years": "5", "cancellation_window_days": ""})
    assert queued == [{"company_id": company_a.pk}]
    customer.refresh_from_db()
    assert customer.step == LifecycleStep.AFTER_WARRANTY  # not swept inside the request
    tasks.refresh_steps(company_id=company_a.pk)  # what the worker then does
    customer.refresh_from_db()
    assert customer.step == LifecycleStep.AFTER_FIRST_YEAR
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"warranty_years": "5", "cancellation_window_days": "7"})
    assert len(queued) == 1  # the window decides no step


def test_daily_sweep_reads_the_settings_once_not_per_customer(
    company_a, company_b, project_a, crm_a, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.services import setting_set
    from tests.factories import BuildingFactory, UnitFactory

    setting_set(company=company_a, key="warranty_years", value=3, by=crm_a)
    building = BuildingFactory(project=project_a)
    today = timezone.localdate()
    dates = {
        "contracted_on": today - datetime.timedelta(days=900),
        "handover_on": today - datetime.timedelta(days=400),
    }

    def add(n):
        for _n in range(n):
            _owner(company_a, UnitFactory(building=building), **dates)

    def sweep_queries():
        cache.delete_many([f"org.settings.version.{c}" for c in ("group", company_a.pk)])
        with CaptureQueriesContext(connection) as run:  # a cold settings cache
            steps_refresh_all()
        settings_reads = [q for q in run.captured_queries if "org_companysetting" in q["sql"]]
        return len(run.captured_queries), len(settings_reads)

    add(3)
    steps_refresh_all()  # first run moves the new owners to their step
    first_total, settings_reads = sweep_queries()
    assert settings_reads == 1
    add(6)
    steps_refresh_all()
    total, settings_reads = sweep_queries()
    assert (total, settings_reads) == (first_total, 1)


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
