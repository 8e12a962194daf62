"""Acceptance 4: an owner registers with a mobile number, receives the code through the
SMS backend, signs in, and signs out — in a real browser against a live server."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

from .conftest import read_sms_code

MOBILE = "139 1234 5678"
E164 = "+8613912345678"
PASSWORD = "Wanke-2026-home"


@pytest.mark.browser
def test_owner_registers_signs_in_and_out(browser_page, sms_outbox):
    page = browser_page
    page.goto("/accounts/owner/register/")
    page.fill("#id_mobile", MOBILE)
    page.click("[data-testid=send-code]")
    expect(page).to_have_url(re.compile(r"/accounts/owner/register/verify/$"))
    expect(page.locator("main")).to_contain_text("139****5678")

    code = read_sms_code(E164)
    page.fill("#id_code", code)
    page.fill("#id_name", "王小明")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("[data-testid=register]")

    expect(page).to_have_url(re.compile(r"/accounts/owner/$"))
    expect(page.locator("h1")).to_contain_text("王小明")
    expect(page.locator("[data-testid=owner-mobile]")).to_have_text("139****5678")
    expect(page.locator("[data-testid=owner-units-empty]")).to_be_visible()
    assert User.objects.get(mobile=E164).kind == User.Kind.OWNER

    page.click("header form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/owner/login/$"))

    # Signing in again, this time with the password chosen at registration.
    page.click("[data-testid=password-tab]")
    page.fill("#id_mobile", MOBILE)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=owner-password-login]")
    expect(page).to_have_url(re.compile(r"/accounts/owner/$"))
    expect(page.locator("[data-testid=owner-mobile]")).to_have_text("139****5678")

    page.click("header form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/owner/login/$"))
    page.goto("/accounts/owner/")
    expect(page).to_have_url(re.compile(r"/accounts/owner/login/\?next="))


@pytest.mark.browser
def test_owner_signs_in_with_an_sms_code(browser_page, sms_outbox):
    User.objects.create_user(
        username="owner_13912345678", mobile=E164, kind=User.Kind.OWNER, name="李业主"
    )
    page = browser_page
    page.goto("/accounts/owner/login/")
    page.fill("#id_mobile", MOBILE)
    page.click("[data-testid=send-code]")
    expect(page.locator(".messages")).to_contain_text("139****5678")

    page.fill("#id_code", read_sms_code(E164))
    page.click("[data-testid=owner-login]")
    expect(page).to_have_url(re.compile(r"/accounts/owner/$"))
    expect(page.locator("h1")).to_contain_text("李业主")

    page.click("header form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/owner/login/$"))
