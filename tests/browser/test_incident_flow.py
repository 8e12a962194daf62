"""Group complaints (群诉, issue 9) in a real browser: customer-relations staff open one
owner's case about leaking windows, make it the lead of a group complaint from the
case page's panel, link the neighbour's case it suggests, and dispatch the lead; the
engineer marks the lead's task done on a phone; back at customer relations both
complainants read 已解决 on the group complaint's page, while the case that was not
linked is untouched. Screenshots of the incident page and the case's history go to
/tmp/h1/ (never the repository)."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.defaults import create_defaults
from complaints.models import Case, Category, Incident
from customers.services import ownership_create
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import BuildingFactory, MembershipFactory, UnitFactory, UserFactory

from .test_complaints_flow import DESKTOP, PHONE, sign_in, sign_out

SHOTS = Path("/tmp/h1")


def _owner_case(crm, company, building, name, mobile) -> Case:
    customer = CustomerFactory(company=company, name=name, mobile=mobile)
    unit = UnitFactory(building=building)
    ownership_create(customer=customer, unit=unit, by=crm, subscribed_on=datetime.date(2024, 5, 1))
    return services.case_create(
        company=company,
        by=crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title="5栋外窗渗水",
        description="下雨时卧室外窗窗框渗水",
        customer=customer,
        unit=unit,
        category=Category.objects.get(code="quality-windows"),
    )


@pytest.mark.browser
def test_a_group_complaint_is_made_on_the_case_page_and_resolved_through_its_lead(
    browser_page, crm_a, company_a, project_a
):
    # The live server's database is flushed between tests: the category tree goes too.
    create_defaults(Category)
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    engineer = UserFactory(username="engineer_a", name="李工")
    MembershipFactory(user=engineer, company=company_a, role=Role.HANDLER, department=works)
    building = BuildingFactory(project=project_a, number="5")
    lead = _owner_case(crm_a, company_a, building, "王芳", "+8613812340001")
    neighbour = _owner_case(crm_a, company_a, building, "刘强", "+8613812340002")
    alone = _owner_case(crm_a, company_a, building, "陈静", "+8613812340003")
    page = browser_page
    page.set_viewport_size(DESKTOP)

    # Customer relations: the lead case, its group complaint, the suggested neighbour.
    sign_in(page, "crm_a")
    page.goto(f"/complaints/cases/{lead.pk}/")
    page.click("[data-testid=action-accept] button")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已受理")
    panel = page.locator("[data-testid=incident-panel]")
    panel.locator("[data-testid=incident-create] button").click()
    expect(panel.locator("[data-testid=incident-of-case]")).to_contain_text("牵头工单")
    incident = Incident.objects.get()
    suggested = panel.locator("[data-testid=incident-suggestions] li")
    expect(suggested).to_have_count(2)
    suggested.filter(has_text=neighbour.number).locator("button").click()
    expect(panel.locator("[data-testid=incident-of-case]")).to_contain_text("2")
    expect(panel.locator("[data-testid=incident-suggestions] li")).to_have_count(1)
    assert Case.objects.get(pk=neighbour.pk).incident_id == incident.pk
    # Opened again, a lead with members offers no "cancel" (it would strand the
    # neighbour's case); the panel was swapped in, the buttons are the page's.
    page.reload()
    expect(page.locator("[data-testid=action-cancel]")).to_have_count(0)

    due = timezone.localtime() + datetime.timedelta(days=2)
    page.select_option("#id_assignee", str(engineer.pk))
    page.fill("#id_due_at", due.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_instructions", "群诉：逐户排查外窗密封")
    page.click("[data-testid=dispatch-form] button[type=submit]")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已派单")
    sign_out(page)

    # The engineer, on the phone: the lead's task is done once, for both owners.
    page.set_viewport_size(PHONE)
    sign_in(page, "engineer_a")
    page.goto("/complaints/tasks/")
    expect(page.locator("[data-testid=task-row]")).to_have_count(1)
    page.click("[data-testid=task-row] a")
    page.click("[data-testid=action-start] button")
    expect(page.locator("[data-testid=task-status]")).to_have_text("处理中")
    page.fill("#id_finish_reason", "5栋外窗密封胶统一更换，淋水试验合格")
    page.click("[data-testid=action-finish] button")
    expect(page.locator("[data-testid=task-status]")).to_have_text("已完成")
    sign_out(page)

    # Customer relations again: the group complaint's page shows both resolved.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "crm_a")
    page.click("nav.mainnav [data-nav=complaint_incidents]")
    expect(page).to_have_url(re.compile(r"/complaints/incidents/$"))
    page.click(f"text={incident.number}")
    expect(page.locator("[data-testid=incident-status]")).to_have_text("已解决")
    rows = page.locator("[data-testid=member-row]")
    expect(rows).to_have_count(2)
    for number in (lead.number, neighbour.number):
        row = rows.filter(has_text=number)
        expect(row.locator("[data-testid=member-status]")).to_have_text("已解决")
    expect(page.locator("[data-testid=incident-summary]")).to_contain_text("淋水试验合格")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "incident.png"), full_page=True)
    assert Case.objects.get(pk=alone.pk).status == Case.Status.RECEIVED

    # The member's own page: resolved with the group complaint, by whom, in its history.
    page.click(f"[data-testid=member-row] >> text={neighbour.number}")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已解决")
    history = page.locator("[data-testid=case-events]")
    expect(history).to_contain_text("随群诉一并解决")
    expect(history).to_contain_text("李工")
    page.screenshot(path=str(SHOTS / "member_case.png"), full_page=True)
