"""Acceptance 10: company CRM staff sign in, land on their home page, switch the
language to English and back, open the inbox and sign out — in a real browser against
a live server."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD


@pytest.mark.browser
def test_company_crm_staff_walks_the_shell(browser_page, crm_a):
    page = browser_page
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.fill("#id_username", "crm_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")

    # Company CRM staff land on their workbench (the role home page).
    expect(page).to_have_url(re.compile(r"/org/workbench/$"))
    home_url = page.url
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".mainnav")).to_be_visible()

    page.click("[data-testid=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(home_url)
    expect(page.locator("header .inbox-link")).to_contain_text("Inbox")

    page.click("[data-testid=lang-zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.click("header .inbox-link")
    expect(page).to_have_url(re.compile(r"/notifications/"))
    expect(page.locator("h1")).to_be_visible()

    page.click("header form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
