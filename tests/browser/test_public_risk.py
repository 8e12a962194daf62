"""Acceptance 9 (public part): an anonymous visitor opens a project's risk page in a
real browser and sees the published item, not the unpublished one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from customers.models import ProgressMilestone, RiskItem


@pytest.mark.browser
def test_anonymous_visitor_opens_a_projects_risk_page(browser_page, project_a):
    RiskItem.objects.create(
        project=project_a,
        kind=RiskItem.Kind.SUBSTATION,
        title="110kV变电站",
        distance_m=420,
        description="项目东北侧约420米处有一座110kV变电站。",
        is_published=True,
    )
    RiskItem.objects.create(
        project=project_a,
        kind=RiskItem.Kind.PLANNED,
        title="规划中的加油站",
        distance_m=350,
        description="北侧地块规划为加油站。",
        is_published=False,
    )
    ProgressMilestone.objects.create(
        project=project_a, date="2025-03-01", title="主体封顶", percent=60, is_published=True
    )
    page = browser_page
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto(reverse("customers:public_risk", args=[project_a.code]))

    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_contain_text(project_a.name)
    items = page.locator("[data-testid=risk-item]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("110kV变电站")
    expect(items.first).to_contain_text("420")
    expect(page.get_by_text("规划中的加油站")).to_have_count(0)
    expect(page.locator("[data-testid=hotline]")).to_have_text(project_a.company.hotline)

    page.click("[data-testid=progress-link]")
    expect(page).to_have_url(re.compile(r"/progress/$"))
    expect(page.locator("[data-testid=milestone]")).to_contain_text("主体封顶")
    expect(page.locator("[data-testid=milestone] progress")).to_have_attribute("value", "60")
    assert csp_errors == []
