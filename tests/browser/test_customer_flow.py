"""Issue 4, acceptance 9: sales staff register a visit on the tablet form, find the new
prospect by pinyin, open the customer 360 page and tick a work point."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import WorkPointCheck
from customers.workpoints import ensure_default_workpoints
from tests.factories import PASSWORD


@pytest.mark.browser
def test_register_visit_find_by_pinyin_and_tick_a_work_point(browser_page, crm_a, project_a):
    # Transactional tests flush every table, the migration's default points included.
    ensure_default_workpoints()
    page = browser_page
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/accounts/login/")
    page.fill("#id_username", "crm_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")
    expect(page).to_have_url(re.compile(r"/org/workbench/$"))

    page.goto("/customers/visit/")
    page.select_option("#id_project", str(project_a.pk))
    page.fill("#id_name", "欧阳娜娜")
    page.fill("#id_mobile", "139 1234 5678")
    page.fill("#id_needs", "三房，近地铁")
    page.click("button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    expect(page.locator("h1")).to_contain_text("欧阳娜娜")

    page.goto("/customers/")
    page.fill("#id_q", "ouyang")
    row = page.locator("[data-testid=customer-row]").filter(has_text="欧阳娜娜")
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    expect(page.locator("[data-testid=timeline-entry]").first).to_be_visible()

    # Registration ticked step 1's three points itself; untick one, then tick it again.
    checks = WorkPointCheck.objects.filter(customer__name="欧阳娜娜")
    assert checks.count() == 3
    page.locator("#checklist button[aria-pressed=true]").first.click()
    expect(page.locator("#checklist button[aria-pressed=false]")).to_have_count(1)
    assert checks.count() == 2
    page.locator("#checklist button[aria-pressed=false]").click()
    expect(page.locator("#checklist button[aria-pressed=false]")).to_have_count(0)
    assert checks.count() == 3
    assert checks.filter(done_by=crm_a).count() == 3
    assert csp_errors == []
