"""The staff workbench panels (待处理投诉, 待回访) and the handler's home (我的任务)
show real work (issue 9): counts on a fixed data set, each the same number as the
queue's saved view it links to; another company's cases never counted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Case
from complaints.supervision import workbench_counts
from org.models import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def make(crm, company, title, **state) -> Case:
    case = services.case_create(
        company=company,
        by=crm,
        type=Case.Type.REPAIR,
        channel=Case.Channel.HOTLINE,
        title=title,
        description="业主来电报修",
        caller_name="陈先生",
        caller_mobile="13800001111",
    )
    if state:
        Case.objects.filter(pk=case.pk).update(**state)
    return case


@pytest.fixture
def data(crm_a, crm_b, company_a, company_b):
    now = timezone.now()
    colleague = make_staff(Role.COMPANY_CRM, company_a, username="crm_a2")
    far = now + datetime.timedelta(days=10)
    make(crm_a, company_a, "我的", assignee=crm_a, resolve_due_at=far)
    make(
        crm_a,
        company_a,
        "我的将超时",
        assignee=crm_a,
        resolve_due_at=now + datetime.timedelta(hours=1),
    )
    make(
        crm_a,
        company_a,
        "同事的已超时",
        assignee=colleague,
        resolve_due_at=now - datetime.timedelta(hours=3),
    )
    make(crm_a, company_a, "未分配", resolve_due_at=far)
    make(
        crm_a,
        company_a,
        "回访今天到期",
        assignee=crm_a,
        status="awaiting_visit",
        visit_due_at=now + datetime.timedelta(minutes=1),
    )
    make(
        crm_a,
        company_a,
        "回访逾期",
        assignee=crm_a,
        status="awaiting_visit",
        visit_due_at=now - datetime.timedelta(days=2),
    )
    make(crm_a, company_a, "已关闭", assignee=crm_a, status="closed")
    for n in range(3):  # another company's work, never counted for A's staff
        make(crm_b, company_b, f"B{n}", resolve_due_at=now - datetime.timedelta(hours=1))
    return now


def test_counts_on_a_fixed_data_set_match_the_queue(crm_a, data):
    counts = workbench_counts(crm_a, now=data)
    assert counts == {
        "mine": 4,  # two working, two awaiting a return visit
        "unassigned": 1,
        "near_breach": 1,
        "breached": 1,
        "awaiting_visit": 2,
        "visit_today": 1,
        "visit_overdue": 1,
    }
    for view in ("mine", "unassigned", "near_breach", "breached", "awaiting_visit"):
        assert selectors.case_queue(crm_a, view=view, now=data).count() == counts[view], view


def test_the_workbench_shows_the_panels_with_links_to_the_saved_views(client, crm_a, data):
    client.force_login(crm_a)
    response = client.get(reverse("org:workbench"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "待处理投诉" in page and "待回访" in page
    assert 'data-testid="count-mine">4<' in page
    assert 'data-testid="count-breached">1<' in page
    assert 'data-testid="count-visits-overdue">1<' in page
    assert "/complaints/?view=near_breach" in page
    assert "/complaints/?view=awaiting_visit" in page
    assert "暂无待处理投诉。" not in page


def test_company_b_staff_count_only_their_own_cases(crm_b, data):
    counts = workbench_counts(crm_b, now=data)
    assert counts["unassigned"] == 3
    assert counts["breached"] == 3
    assert counts["mine"] == counts["awaiting_visit"] == 0


def test_an_empty_workbench_says_nothing_is_waiting(client, crm_a):
    client.force_login(crm_a)
    page = client.get(reverse("org:workbench")).content.decode()
    assert "暂无待处理投诉。" in page
    assert "今日暂无待回访。" in page


def test_managers_and_handlers_have_no_workbench(client, manager_a, handler_a):
    for user in (manager_a, handler_a):
        client.force_login(user)
        assert client.get(reverse("org:workbench")).status_code == 403


def test_the_handler_home_lists_their_open_tasks_only(
    client, crm_a, company_a, engineer, other_engineer
):
    case = make(crm_a, company_a, "卫生间漏水")
    services.case_dispatch(
        case=case,
        by=crm_a,
        department=None,
        assignee=engineer,
        due_at=timezone.now() + datetime.timedelta(days=2),
        instructions="请上门",
    )
    client.force_login(engineer)
    response = client.get(reverse("org:my_tasks"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "卫生间漏水" in page
    assert reverse("complaints:my_tasks") in page
    client.force_login(other_engineer)
    page = client.get(reverse("org:my_tasks")).content.decode()
    assert "卫生间漏水" not in page
    assert "还没有派给您的任务。" in page or "暂无" in page
