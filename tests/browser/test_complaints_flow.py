"""Issue 9 in a real browser: customer-relations staff record a hotline case for a
caller found by the last four digits of the mobile, accept it and dispatch it to a
handler; the handler, on a phone-sized screen, starts, photographs the finished work
and marks it done; the staff confirm and record a satisfied return visit, and the case
reads 已关闭. Screenshots of the queue and the case page go to /tmp."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from complaints.defaults import create_defaults
from complaints.models import Case, Category, Task
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import PASSWORD, MembershipFactory, UserFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=staff-login]")
    expect(page.locator("h1")).to_be_visible()


def sign_out(page):
    page.click("header form[action='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


@pytest.mark.browser
def test_a_hotline_case_from_the_call_to_the_return_visit(browser_page, crm_a, company_a, tmp_path):
    # The live server's database is flushed between tests: the category tree goes too.
    create_defaults(Category)
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    engineer = UserFactory(username="engineer_a", name="李工")
    MembershipFactory(user=engineer, company=company_a, role=Role.HANDLER, department=works)
    CustomerFactory(company=company_a, name="王芳", mobile="+8613812345678")
    page = browser_page
    page.set_viewport_size(DESKTOP)

    # The call: the caller is found by the last four digits of the mobile.
    sign_in(page, "crm_a")
    page.goto("/complaints/new/")
    page.fill("#caller-q", "5678")
    page.click("[data-testid=caller-pick]")
    expect(page.locator("[data-testid=caller-chosen]")).to_contain_text("王芳")
    page.select_option("#id_type", "repair")
    page.select_option("#id_category", label="工程质量 › 渗漏")
    page.fill("#id_title", "卫生间漏水")
    page.fill("#id_description", "楼下天花板渗水，业主下午在家。")
    page.click("[data-testid=intake-submit]")
    expect(page).to_have_url(re.compile(r"/complaints/cases/\d+/$"))
    expect(page.locator("[data-testid=case-status]")).to_have_text("待受理")
    case = Case.objects.get()
    assert case.customer.name == "王芳" and case.channel == "hotline"
    assert case.category.code == "quality-leak"

    page.click("[data-testid=action-accept] button")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已受理")
    due = timezone.localtime() + datetime.timedelta(days=1)
    page.select_option("#id_assignee", str(engineer.pk))
    page.fill("#id_due_at", due.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_instructions", "上门查看防水层")
    page.click("[data-testid=dispatch-form] button[type=submit]")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已派单")
    expect(page.locator("[data-testid=case-tasks]")).to_contain_text("李工")
    sign_out(page)

    # The handler, on the phone.
    page.set_viewport_size(PHONE)
    sign_in(page, "engineer_a")
    page.goto("/complaints/tasks/")
    page.click("[data-testid=task-row] a")
    expect(page.locator("[data-testid=task-summary]")).to_contain_text("138****5678")
    page.click("[data-testid=action-start] button")
    expect(page.locator("[data-testid=task-status]")).to_have_text("处理中")
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), "steelblue").save(jpeg, format="JPEG")
    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg.getvalue())
    page.set_input_files("#id_photo", str(photo))
    page.click("[data-testid=photo-form] button[type=submit]")
    expect(page.locator("[data-testid=task-photos] img")).to_have_count(1)
    page.fill("#id_finish_reason", "已重做防水层，闭水试验通过")
    page.click("[data-testid=action-finish] button")
    expect(page.locator("[data-testid=task-status]")).to_have_text("已完成")
    assert Task.objects.get().status == "done"
    sign_out(page)

    # Back at customer relations: confirm and the return visit.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "crm_a")
    page.goto("/complaints/")
    expect(page.locator("[data-testid=case-row]")).to_have_count(1)
    page.screenshot(path="/tmp/complaints_queue.png", full_page=True)
    page.goto(f"/complaints/cases/{case.pk}/")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已解决")
    page.click("[data-testid=action-confirm] button")
    expect(page.locator("[data-testid=case-status]")).to_have_text("待回访")
    page.select_option("#id_visit_verdict", "satisfied")
    page.fill("#id_visit_reason", "业主满意")
    page.click("[data-testid=action-visit] button")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已关闭")
    expect(page.locator("[data-testid=case-photos] img")).to_have_count(1)
    page.screenshot(path="/tmp/complaints_case.png", full_page=True)
    assert Case.objects.get().visit_verdict == "satisfied"
