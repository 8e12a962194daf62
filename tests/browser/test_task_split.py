"""Issue 9 in a real browser: customer relations split a dispatched task into two
trades (给排水 and 门窗) from the case page, each part to its own handler; each handler
then sees their part, and only theirs, in 我的任务. Screenshots of the split and
transfer forms go to /tmp/h3 (or the test's own folder)."""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.defaults import create_defaults
from complaints.models import Case, Category, Task
from org.models import Department, Role
from tests.factories import MembershipFactory, UserFactory

from .test_complaints_flow import DESKTOP, PHONE, sign_in, sign_out


def _shots(tmp_path):
    folder = "/tmp/h3"
    return folder if os.path.isdir(folder) else str(tmp_path)


@pytest.mark.browser
def test_customer_relations_split_a_task_and_each_handler_sees_their_part(
    browser_page, crm_a, company_a, tmp_path
):
    create_defaults(Category)
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    plumber = UserFactory(username="engineer_a", name="李工")
    glazier = UserFactory(username="engineer_b", name="王工")
    for handler in (plumber, glazier):
        MembershipFactory(user=handler, company=company_a, role=Role.HANDLER, department=works)
    case = services.case_create(
        company=company_a,
        by=crm_a,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title="卫生间漏水，窗户也渗水",
        description="卫生间水管漏水，主卧窗框下雨渗水",
        caller_name="陈先生",
    )
    sent = services.case_dispatch(
        case=case,
        by=crm_a,
        department=works,
        due_at=timezone.now() + datetime.timedelta(days=2),
        instructions="先查漏点",
    )
    due = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = browser_page
    page.set_viewport_size(DESKTOP)
    shots = _shots(tmp_path)

    sign_in(page, "crm_a")
    page.goto(f"/complaints/cases/{case.pk}/")
    page.click("[data-testid=task-transfer]")
    expect(page.locator("[data-testid=transfer-form]")).to_be_visible()
    page.screenshot(path=f"{shots}/transfer_form.png", full_page=True)
    page.go_back()
    page.click("[data-testid=task-split]")
    expect(page.locator("[data-testid=split-part]")).to_have_count(2)
    page.select_option("#id_part-0-trade", "plumbing")
    page.select_option("#id_part-0-assignee", str(plumber.pk))
    page.fill("#id_part-0-due_at", due)
    page.click("[data-testid=add-part]")  # one more row, what was typed kept (no JavaScript)
    expect(page.locator("[data-testid=split-part]")).to_have_count(3)
    expect(page.locator("#id_part-0-trade")).to_have_value("plumbing")
    page.select_option("#id_part-1-trade", "windows")
    page.select_option("#id_part-1-assignee", str(glazier.pk))
    page.fill("#id_part-1-due_at", due)
    page.screenshot(path=f"{shots}/split_form.png", full_page=True)
    page.click("[data-testid=split-form] button.primary")
    expect(page).to_have_url(re.compile(rf"/complaints/cases/{case.pk}/$"))
    tasks = page.locator("[data-testid=case-tasks]")
    expect(tasks).to_contain_text("给排水")
    expect(tasks).to_contain_text("门窗")
    expect(tasks.locator(".pill", has_text="按专业拆分")).to_have_count(1)  # the task split
    page.screenshot(path=f"{shots}/case_after_split.png", full_page=True)
    parts = {t.assignee.username: t for t in Task.objects.filter(parent=sent)}
    assert {t.trade for t in parts.values()} == {"plumbing", "windows"}
    sign_out(page)

    page.set_viewport_size(PHONE)
    for username, trade in (("engineer_a", "给排水"), ("engineer_b", "门窗")):
        sign_in(page, username)
        page.goto("/complaints/tasks/")
        expect(page.locator("[data-testid=task-row]")).to_have_count(1)
        page.click("[data-testid=task-row] a")
        expect(page).to_have_url(
            f"{page.url.split('/complaints/')[0]}/complaints/tasks/{parts[username].pk}/"
        )
        expect(page.locator("[data-testid=task-trade]")).to_have_text(trade)
        sign_out(page)
