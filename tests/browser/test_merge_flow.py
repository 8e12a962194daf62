"""Issue 8: staff find a pair on the duplicate report, compare the two records side by
side, choose the survivor and a value, and merge; the message names both records."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from customers.models import Customer, Ownership
from customers.services import ownership_create
from tests.customers.factories import CustomerFactory
from tests.factories import PASSWORD, UnitFactory

SHOTS = os.environ.get("BROWSER_SCREENSHOTS")


@pytest.mark.browser
def test_staff_compare_and_merge_a_duplicate_pair(browser_page, company_a, project_a, crm_a):
    a = CustomerFactory(company=company_a, name="张三", mobile="+8613800138000", occupation="教师")
    b = CustomerFactory(company=company_a, name="张叁", mobile="+8613900139000", occupation="")
    unit = UnitFactory(building__project=project_a)
    for customer, role in ((a, Ownership.Role.OWNER), (b, Ownership.Role.CO_OWNER)):
        ownership_create(
            customer=customer,
            unit=unit,
            by=crm_a,
            role=role,
            subscribed_on=datetime.date(2025, 1, 1),
        )
    page = browser_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "crm_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")

    page.goto("/customers/duplicates/")
    expect(page.locator("[data-testid=duplicate-pair]")).to_have_count(1)
    page.locator("[data-testid=duplicate-pair] a.button").click()
    compare = page.locator("[data-testid=merge-compare]")
    expect(compare).to_be_visible()
    expect(compare.locator("tr.differs")).to_have_count(3)  # name, mobile, occupation
    compare.locator("input[name=survivor][value=second]").check()
    compare.locator("input[name=value_name][value=first]").check()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "merge.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    compare.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/customers/')[0]}/customers/{b.pk}/")
    message = page.locator("ul.messages")
    expect(message).to_contain_text("张叁")
    expect(message).to_contain_text("张三")
    b.refresh_from_db()
    assert b.name == "张三" and b.occupation == "教师"
    assert Customer.objects.get(pk=a.pk).merged_into_id == b.pk
