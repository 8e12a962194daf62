"""Issue 3, acceptance 9: /api/docs/ renders in a browser (Swagger UI served from our
own static files, under the Content-Security-Policy)."""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_api_docs_render_the_operations(browser_page, group_staff, client, live_server):
    page = browser_page
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/accounts/login/")
    page.fill("#id_username", group_staff.username)
    from tests.factories import PASSWORD

    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert not [e for e in errors if "Content Security Policy" in e], errors
