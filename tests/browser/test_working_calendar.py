"""Company CRM staff enter a local day off (a typhoon) on their working calendar and
see it listed, in a real browser against a live server (docs/decisions/0023)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from org.working_time import WorkingCalendar
from tests.factories import PASSWORD


def _a_working_day_next_year(company) -> dt.date:
    calendar = WorkingCalendar(company)
    day = dt.date(timezone.localdate().year + 1, 3, 2)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@pytest.mark.browser
def test_crm_staff_add_a_local_day_off_and_see_it_listed(browser_page, crm_a, company_a):
    day = _a_working_day_next_year(company_a)
    page = browser_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "crm_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")
    expect(page).to_have_url(re.compile(r"/org/workbench/$"))

    page.click(".mainnav >> text=工作日历")
    expect(page).to_have_url(re.compile(rf"/org/companies/{company_a.pk}/calendar/$"))
    expect(page.locator("h1")).to_contain_text("工作日历")
    expect(page.locator("[data-testid=working-hours]")).to_contain_text("09:00–18:00")

    form = page.locator("[data-testid=working-day-form]")
    form.locator("#id_date").fill(day.isoformat())
    form.locator("#id_is_working").select_option("off")
    form.locator("#id_reason").fill("台风停工")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/calendar/\?year={day.year}$"))
    expect(page.get_by_text(f"{day.isoformat()} 已加入日历。")).to_be_visible()
    row = page.locator(f"[data-testid=calendar-day][data-date='{day.isoformat()}']")
    expect(row).to_contain_text("台风停工")
    expect(row).to_contain_text("休息日")
    expect(row).to_contain_text("本公司")
    expect(page.locator("[data-testid=calendar-change]").first).to_contain_text("台风停工")
