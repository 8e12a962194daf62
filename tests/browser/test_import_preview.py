"""Issue 8: the import's dry-run page stays readable with every column of the template
and marks the bad cells (seen in a browser, scrolled sideways by keyboard)."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from customers.tasks_io import import_batch_check
from tests.customers.test_import_export import bad_rows, xlsx_upload
from tests.factories import PASSWORD

SHOTS = os.environ.get("BROWSER_SCREENSHOTS")


@pytest.mark.browser
def test_dry_run_page_marks_the_bad_cells(
    browser_page, company_a, project_a, crm_a, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from tests.factories import BuildingFactory, UnitFactory

    building = BuildingFactory(project=project_a, number="3")
    UnitFactory(building=building, entrance="2", number="1202", code="3-2-1202")
    client = Client()
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:import"), {"company": company_a.pk, "file": xlsx_upload(bad_rows())}
    )
    assert response.status_code == 302
    import_batch_check(int(response.url.rstrip("/").split("/")[-1]))  # as the worker does

    page = browser_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "crm_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")
    page.goto(response.url)
    preview = page.locator("[data-testid=import-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("[data-testid=bad-cell]").first).to_be_visible()
    assert preview.locator("[data-testid=bad-cell]").count() >= 3
    region = page.locator(".import-preview")
    region.focus()
    page.keyboard.press("End")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "import-preview.png"), full_page=True)
    # the row numbers stay in view while the table scrolls sideways
    expect(preview.locator("tbody th.row-number").first).to_be_in_viewport()
