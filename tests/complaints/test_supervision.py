"""The group's supervision page (issue 9): every company's open, overdue and escalated
cases, counted per company in one query, each number linking to the queue filtered to
exactly those cases; managers see their own company; other roles are refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Case
from complaints.supervision import supervision_rows

pytestmark = pytest.mark.django_db


def make(crm, company, title, **state) -> Case:
    case = services.case_create(
        company=company,
        by=crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title=title,
        description="业主来电",
        caller_name="陈先生",
        caller_mobile="13800001111",
    )
    if state:
        Case.objects.filter(pk=case.pk).update(**state)
    return case


@pytest.fixture
def data(crm_a, crm_b, company_a, company_b):
    """A: 4 open (1 overdue, 1 escalated to the company, 1 to the group), 1 closed and
    1 cancelled; B: 2 open (1 overdue and escalated to the group)."""
    past = timezone.now() - datetime.timedelta(hours=5)
    make(crm_a, company_a, "A 新工单")
    make(crm_a, company_a, "A 已超时", resolve_due_at=past)
    make(crm_a, company_a, "A 升级公司", escalation=Case.Escalation.COMPANY)
    make(crm_a, company_a, "A 升级集团", escalation=Case.Escalation.GROUP, status="awaiting_visit")
    make(crm_a, company_a, "A 已关闭", status="closed", resolve_due_at=past, escalation=2)
    make(crm_a, company_a, "A 已取消", status="cancelled")
    make(crm_b, company_b, "B 新工单")
    make(
        crm_b,
        company_b,
        "B 超时升级",
        resolve_due_at=past,
        escalation=Case.Escalation.GROUP,
        status="in_progress",
    )


def counts(rows) -> dict:
    return {
        row["code"]: (
            row["open_count"],
            row["overdue_count"],
            row["company_count"],
            row["group_count"],
        )
        for row in rows
    }


def test_group_staff_see_every_company_counted_in_one_query(
    group_staff, data, django_assert_num_queries
):
    assert group_staff.scope.sees_all  # the roles are read once per request
    with django_assert_num_queries(1):
        rows = list(supervision_rows(group_staff))
    assert counts(rows) == {"sz": (4, 1, 1, 1), "sh": (2, 1, 0, 1)}


def test_the_page_shows_the_counts_and_totals(client, group_staff, data, company_a):
    client.force_login(group_staff)
    response = client.get(reverse("complaints:supervision"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "集团督办" in page
    assert "深圳万科" in page and "上海万科" in page
    assert response.context["totals"] == {
        "open_count": 6,
        "overdue_count": 2,
        "company_count": 1,
        "group_count": 2,
    }
    assert f"?view=breached&amp;company={company_a.pk}" in page


@pytest.mark.parametrize(
    ("link", "titles"),
    [
        ("view=open", {"A 新工单", "A 已超时", "A 升级公司", "A 升级集团"}),
        ("view=breached", {"A 已超时"}),
        ("view=escalated&escalation=1", {"A 升级公司"}),
        ("view=escalated&escalation=2", {"A 升级集团"}),
    ],
)
def test_each_number_links_to_exactly_its_cases_in_the_queue(
    client, group_staff, data, company_a, link, titles
):
    client.force_login(group_staff)
    response = client.get(f"{reverse('complaints:queue')}?{link}&company={company_a.pk}")
    assert response.status_code == 200
    assert {case.title for case, *_rest in response.context["rows"]} == titles


def test_a_manager_supervises_their_own_company_only(client, manager_a, data):
    assert counts(supervision_rows(manager_a)) == {"sz": (4, 1, 1, 1)}
    client.force_login(manager_a)
    page = client.get(reverse("complaints:supervision")).content.decode()
    assert "深圳万科" in page
    assert "上海万科" not in page


def test_company_filter_of_the_queue_never_widens(client, crm_a, data, company_b):
    client.force_login(crm_a)
    response = client.get(reverse("complaints:queue"), {"view": "open", "company": company_b.pk})
    assert response.status_code == 200
    assert all(case.company_id != company_b.pk for case, *_rest in response.context["rows"])


def test_customer_relations_staff_and_handlers_are_refused(client, crm_a, handler_a):
    for user in (crm_a, handler_a):
        client.force_login(user)
        response = client.get(reverse("complaints:supervision"))
        assert response.status_code == 403
        assert "督办页面仅供集团客服中心和管理人员使用。" in response.content.decode()
