"""Acceptance 9: the 6+2 overview and the manager's dashboard draw ECharts charts from
their JSON endpoints — a canvas renders and the browser logs no CSP violation."""

import os

import pytest
from playwright.sync_api import expect

from customers.services import visit_register
from tests.factories import PASSWORD

SHOTS = os.environ.get("BROWSER_SCREENSHOTS")  # a folder, to look at the pages


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")


def _watch_csp(page):
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "CSP violation" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _expect_chart(page, key):
    figure = page.locator(f"[data-testid=chart-{key}]")
    canvas = figure.locator(".chart-canvas")
    expect(canvas).to_have_attribute("data-chart-ready", "true")
    expect(canvas.locator("canvas")).to_be_visible()
    box = canvas.locator("canvas").bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    expect(canvas).to_have_attribute("role", "img")
    expect(figure.locator("figcaption")).not_to_be_empty()


@pytest.mark.browser
def test_manager_dashboard_and_lifecycle_page_draw_charts_without_csp_errors(
    browser_page, project_a, crm_a, manager_a
):
    for i in range(3):
        visit_register(project=project_a, by=crm_a, name=f"客户{i}", mobile=f"1380013{i:04d}")
    page = browser_page
    problems = _watch_csp(page)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    _sign_in(page, "manager_a")
    page.goto("/org/dashboard/")
    _expect_chart(page, "visits")
    _expect_chart(page, "steps")
    # the text alternative: the same figures as a table
    table = page.locator("[data-chart-table=steps]")
    table.locator("summary").click()
    expect(table.locator("tbody tr")).to_have_count(7)
    page.locator("[data-testid=chart-visits] canvas").hover()  # the tooltip, drawn too
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "dashboard.png"), full_page=True)

    page.goto("/customers/lifecycle/")
    _expect_chart(page, "steps")
    _expect_chart(page, "workpoints")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "lifecycle.png"), full_page=True)
    assert problems == []
