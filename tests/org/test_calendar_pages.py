"""The working calendar pages: a company's year, the group-wide days, adding and
removing a day, and who may see and change what (docs/decisions/0023)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from org import working_time as wt
from org.models import WorkingDay
from org.services import working_day_add

pytestmark = pytest.mark.django_db
BACKEND = "accounts.backends.UsernameOrMobileBackend"


@pytest.fixture(autouse=True)
def early_2026():
    moment = dt.datetime(2026, 1, 20, 10, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(moment, tick=False):
        yield


def _login(client, user, language="en"):
    client.force_login(user, backend=BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # logout() drops the cookies


def _page(company):
    return reverse("org:company_calendar", args=[company.pk])


def _post(client, company, date="2026-03-03", becomes="off", reason="台风停工"):
    return client.post(_page(company), {"date": date, "is_working": becomes, "reason": reason})


def test_a_company_year_lists_holidays_make_up_days_and_working_hours(client, crm_a, company_a):
    _login(client, crm_a)
    response = client.get(_page(company_a), {"year": "2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-02-16"' in html and "Spring Festival" in html
    assert 'data-date="2026-02-14"' in html and "make-up working day" in html
    assert "public holiday" in html
    assert "09:00–18:00, lunch break 12:00–13:00" in html
    assert 'data-testid="working-day-form"' in html
    assert 'data-testid="official-missing"' not in html


def test_crm_staff_add_a_local_day_off_and_remove_it(client, crm_a, company_a):
    _login(client, crm_a)
    response = _post(client, company_a)
    assert response.status_code == 302 and response.url == f"{_page(company_a)}?year=2026"
    entry = WorkingDay.objects.get()
    assert (entry.company, entry.date, entry.is_working, entry.reason, entry.created_by) == (
        company_a,
        dt.date(2026, 3, 3),
        False,
        "台风停工",
        crm_a,
    )
    html = client.get(response.url).content.decode()
    assert "2026-03-03 was added to the calendar." in html
    row = html.split('data-date="2026-03-03"')[1].split("</tr>")[0]
    assert "台风停工" in row and "this company" in row and crm_a.name in row
    assert 'data-testid="calendar-change"' in html
    assert not wt.is_working_day(company_a, dt.date(2026, 3, 3))

    response = client.post(reverse("org:working_day_remove", args=[entry.pk]), follow=True)
    html = response.content.decode()
    assert "The entry of 2026-03-03 was removed." in html
    assert 'data-date="2026-03-03"' not in html
    assert html.count('data-testid="calendar-change"') == 2  # added, then removed
    assert wt.is_working_day(company_a, dt.date(2026, 3, 3))


def test_an_extra_working_day_on_a_saturday(client, crm_a, company_a):
    _login(client, crm_a)
    assert _post(client, company_a, "2026-03-07", "working", "交付周末").status_code == 302
    assert wt.is_working_day(company_a, dt.date(2026, 3, 7))


def test_bad_input_is_refused_on_the_form_and_kept(client, crm_a, company_a):
    _login(client, crm_a)
    cases = [
        ("2031-03-03", "off", "台风", "Choose a day from 2025-01-01 to 2028-12-31."),
        ("2026-03-08", "off", "台风", "2026-03-08 is already a day off (Monday to Friday)."),
        ("2026-02-31", "off", "台风", "Enter a valid date."),
        ("2026-03-03", "off", "", "This field is required."),
        ("2026-03-03", "maybe", "台风", "Select a valid choice."),
    ]
    for date, becomes, reason, message in cases:
        response = _post(client, company_a, date, becomes, reason)
        html = response.content.decode()
        assert response.status_code == 400, date
        assert message in html, (date, message)
        assert f'value="{date}"' in html or date == "2026-02-31"
    _post(client, company_a)
    response = _post(client, company_a, reason="再次")
    assert response.status_code == 400
    assert "2026-03-03 already has an entry in this calendar" in response.content.decode()
    assert WorkingDay.objects.count() == 1


def test_bad_input_in_chinese(client, crm_a, company_a):
    _login(client, crm_a, "zh-hans")
    html = _post(client, company_a, "2026-02-16").content.decode()
    assert "2026-02-16 已经是休息日（国家法定安排: 春节）。" in html
    assert "工作日历" in html


def test_managers_read_and_cannot_change(client, manager_a, company_a, crm_a):
    entry = working_day_add(
        company=company_a, date=dt.date(2026, 3, 3), is_working=False, reason="台风", by=crm_a
    )
    _login(client, manager_a)
    response = client.get(_page(company_a))
    html = response.content.decode()
    assert response.status_code == 200 and "台风" in html
    assert 'data-testid="working-day-form"' not in html and "remove-day" not in html
    assert _post(client, company_a, "2026-03-04").status_code == 403
    assert client.post(reverse("org:working_day_remove", args=[entry.pk])).status_code == 403
    assert list(WorkingDay.objects.values_list("date", flat=True)) == [dt.date(2026, 3, 3)]


def test_handlers_get_403_and_other_companies_404(client, handler_a, crm_b, company_a, crm_a):
    entry = working_day_add(
        company=company_a, date=dt.date(2026, 3, 3), is_working=False, reason="台风", by=crm_a
    )
    _login(client, handler_a)
    assert client.get(_page(company_a)).status_code == 403
    assert client.get(reverse("org:calendar_home")).status_code == 403
    client.logout()
    _login(client, crm_b)
    assert client.get(_page(company_a)).status_code == 404
    assert _post(client, company_a, "2026-03-04").status_code == 404
    assert client.post(reverse("org:working_day_remove", args=[entry.pk])).status_code == 404
    assert client.get(reverse("org:group_calendar")).status_code == 403
    assert WorkingDay.objects.count() == 1


def test_group_staff_edit_group_wide_days_and_see_every_company(
    client, group_staff, crm_a, company_a, company_b
):
    _login(client, crm_a)
    assert (
        client.post(
            reverse("org:group_calendar"),
            {"date": "2026-03-09", "is_working": "off", "reason": "x"},
        ).status_code
        == 403
    )
    client.logout()
    _login(client, group_staff)
    assert client.get(reverse("org:calendar_home")).url == reverse("org:group_calendar")
    response = client.post(
        reverse("org:group_calendar"),
        {"date": "2026-03-09", "is_working": "off", "reason": "集团活动日"},
    )
    assert response.status_code == 302
    assert WorkingDay.objects.get().company is None
    html = client.get(_page(company_b), {"year": 2026}).content.decode()
    row = html.split('data-date="2026-03-09"')[1].split("</tr>")[0]
    assert "集团活动日" in row and "group-wide" in row
    assert "remove-day" not in row  # removed on the group's page, not a company's
    assert client.get(_page(company_a)).status_code == 200


def test_a_year_the_package_does_not_know_says_so(client, crm_a, company_a):
    _login(client, crm_a)
    html = client.get(_page(company_a), {"year": "2027"}).content.decode()
    assert not wt.official_year_known(2027) or 'data-testid="official-missing"' not in html
    if not wt.official_year_known(2027):
        assert "The official holidays and make-up working days of 2027 are not loaded yet" in html
        assert "No day of 2027 differs from Monday to Friday." in html


def test_a_year_outside_the_range_shows_this_year(client, crm_a, company_a):
    _login(client, crm_a)
    for year in ("1900", "abc", "2026x"):
        response = client.get(_page(company_a), {"year": year})
        assert response.status_code == 200
        assert 'aria-current="page" data-testid="year-2026"' in response.content.decode()


def test_the_page_is_reached_from_the_company_the_settings_and_the_menu(
    client, crm_a, manager_a, handler_a, company_a
):
    _login(client, crm_a)
    assert client.get(reverse("org:calendar_home")).url == _page(company_a)
    detail = client.get(reverse("org:company_detail", args=[company_a.pk])).content.decode()
    assert _page(company_a) in detail
    settings_page = client.get(reverse("org:company_settings", args=[company_a.pk]))
    assert _page(company_a) in settings_page.content.decode()
    assert reverse("org:calendar_home") in detail  # the menu
    client.logout()
    _login(client, manager_a)
    assert client.get(reverse("org:calendar_home")).url == _page(company_a)
    client.logout()
    _login(client, handler_a)
    detail = client.get(reverse("org:company_detail", args=[company_a.pk])).content.decode()
    assert _page(company_a) not in detail and reverse("org:calendar_home") not in detail


def test_the_page_costs_a_fixed_handful_of_queries(
    client, crm_a, company_a, django_assert_max_num_queries
):
    for day in range(2, 7):
        working_day_add(
            company=company_a, date=dt.date(2026, 3, day), is_working=False, reason="台风", by=crm_a
        )
    _login(client, crm_a)
    with django_assert_max_num_queries(12):
        assert client.get(_page(company_a), {"year": 2026}).status_code == 200


def test_the_demo_company_has_a_typhoon_day_and_a_working_saturday(client):
    from demo.registry import SeedContext
    from org import demo as org_demo

    org_demo.seed(SeedContext())
    org_demo.seed(SeedContext())  # idempotent
    entries = list(WorkingDay.objects.select_related("company").order_by("is_working"))
    assert [(e.company.code, e.is_working) for e in entries] == [("sz", False), ("sz", True)]
    typhoon, saturday = entries
    assert "台风" in typhoon.reason and typhoon.date.month == 9
    assert saturday.date.weekday() == 5 and saturday.date.month == 6
    assert not wt.is_working_day(typhoon.company, typhoon.date)
    assert wt.is_working_day(saturday.company, saturday.date)
