"""Issue 9, acceptance 8 (part): the owner opens the return-visit link of the SMS the
outbox holds, on a phone, answers "satisfied" and the case closes; the same link a
second time only thanks them (no form, nothing written); a forged link is refused."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.models import Case
from notifications.models import Channel, Message
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import MembershipFactory, UserFactory

PHONE = {"width": 390, "height": 844}
MOBILE = "+8613812345678"


def _awaiting_visit(crm, company) -> Case:
    works = Department.objects.create(company=company, kind="engineering", name="工程部")
    engineer = UserFactory(username="engineer_a", name="李工")
    MembershipFactory(user=engineer, company=company, role=Role.HANDLER, department=works)
    case = services.case_create(
        company=company,
        by=crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title="电梯异响",
        description="3号楼电梯运行时有异响",
        customer=CustomerFactory(company=company, name="王芳", mobile=MOBILE),
    )
    task = services.case_dispatch(
        case=case,
        by=crm,
        department=works,
        due_at=timezone.now() + datetime.timedelta(days=2),
    )
    services.task_act(task=task, action="start", by=engineer)
    services.task_act(task=task, action="finish", by=engineer, reason="已更换导轨滑块")
    return services.case_act(case=Case.objects.get(pk=case.pk), action="confirm", by=crm)


@pytest.mark.browser
def test_owner_answers_the_return_visit_link_on_a_phone(browser_page, crm_a, company_a):
    case = _awaiting_visit(crm_a, company_a)
    sms = Message.objects.get(
        channel=Channel.SMS, address=MOBILE, template="complaints.return_visit"
    )
    path = urlsplit(sms.link).path
    assert path in sms.body
    page = browser_page
    page.set_viewport_size(PHONE)

    page.goto(path)
    expect(page.locator("h1")).to_have_text("我们做得怎么样？")
    expect(page.locator("[data-testid=visit-link-case]")).to_contain_text("已更换导轨滑块")
    page.click("[data-testid=verdict-satisfied]")
    page.fill("#id_comment", "维修师傅很专业")
    page.click("[data-testid=visit-link-send]")
    expect(page.locator("[data-testid=visit-link-answered]")).to_contain_text("感谢您的反馈")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.visit_verdict == "satisfied"
    assert case.return_visits.get().via == "link"

    # The same link again: thanked, no form to answer twice.
    page.goto(path)
    expect(page.locator("[data-testid=visit-link-answered]")).to_be_visible()
    expect(page.locator("[data-testid=visit-link-form]")).to_have_count(0)

    # A link changed by hand is refused in Chinese.
    response = page.goto(path[:-3] + "xx/")
    assert response.status == 400
    expect(page.locator("[data-testid=visit-link-tampered]")).to_contain_text("链接无效")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.return_visits.count() == 1
