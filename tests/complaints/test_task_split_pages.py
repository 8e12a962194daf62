"""Splitting a task across trades and transferring it from the pages (issue 9: "a task
can be transferred, split into sub-tasks across trades"): customer relations open 拆分
or 转派 from the case page's task rows. The case shows the new tasks and resolves only
when every part is done; each refusal lands on the form in Chinese with what was typed
kept and nothing written; a handler gets the 403 page, another company's staff 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import StateEvent
from complaints import services
from complaints.models import Case, Task
from org.models import Department

from .test_life_cycle import later, new_case

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "zh-hans"


def _text(response) -> str:
    return response.content.decode()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _written():
    return (
        list(Task.objects.order_by("pk").values_list("pk", "status", "assignee")),
        list(Case.objects.order_by("pk").values_list("pk", "status")),
        StateEvent.objects.count(),
    )


def _split(rows, instructions=""):
    data = {
        "instructions": instructions,
        "part-TOTAL_FORMS": str(len(rows)),
        "part-INITIAL_FORMS": "0",
        "part-MIN_NUM_FORMS": "0",
        "part-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(rows):
        data.update({f"part-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def sent(crm_a, company_a, engineering):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    return services.case_dispatch(
        case=case, by=crm_a, department=engineering, due_at=later(), instructions="先查漏点"
    )


def test_the_case_page_offers_split_and_transfer_for_a_task_not_yet_at_work(
    client, crm_a, sent, engineer
):
    _login(client, crm_a)
    page = _text(client.get(reverse("complaints:case", args=[sent.case_id])))
    assert reverse("complaints:task_split", args=[sent.pk]) in page
    assert reverse("complaints:task_transfer", args=[sent.pk]) in page
    task_page = _text(client.get(reverse("complaints:task", args=[sent.pk])))
    assert reverse("complaints:task_split", args=[sent.pk]) in task_page
    # The handler's page has no such links (nor does the case page once it is at work).
    services.task_act(task=sent, action="start", by=engineer)
    page = _text(client.get(reverse("complaints:case", args=[sent.case_id])))
    assert reverse("complaints:task_split", args=[sent.pk]) not in page
    client.force_login(engineer, backend="accounts.backends.UsernameOrMobileBackend")
    assert "task_split" not in _text(client.get(reverse("complaints:task", args=[sent.pk])))
    assert f"/complaints/tasks/{sent.pk}/split/" not in _text(
        client.get(reverse("complaints:task", args=[sent.pk]))
    )


def test_a_task_split_across_two_trades_resolves_the_case_when_both_are_done(
    client, crm_a, sent, engineer, other_engineer
):
    _login(client, crm_a)
    url = reverse("complaints:task_split", args=[sent.pk])
    form = client.get(url)
    assert form.status_code == 200 and "先查漏点" in _text(form)  # the task's instructions
    due = _when(later(24))
    response = client.post(
        url,
        _split(
            [
                {"trade": "plumbing", "assignee": engineer.pk, "due_at": due},
                {"trade": "windows", "assignee": other_engineer.pk, "due_at": due},
                {"trade": "", "department": "", "assignee": "", "due_at": ""},  # left empty
            ],
            instructions="查管道，换密封条",
        ),
    )
    assert response.status_code == 302 and response.url == f"/complaints/cases/{sent.case_id}/"
    parts = list(Task.objects.filter(parent=sent).order_by("pk"))
    assert [(p.trade, p.assignee, p.status) for p in parts] == [
        ("plumbing", engineer, "sent"),
        ("windows", other_engineer, "sent"),
    ]
    assert all(p.instructions == "查管道，换密封条" for p in parts)
    assert Task.objects.get(pk=sent.pk).status == Task.Status.CANCELLED
    page = _text(client.get(response.url))
    assert "已拆分为 2 个部分。" in page
    assert "给排水" in page and "门窗" in page and "李工" in page and "王工" in page
    # One part done: the case is still being worked.
    services.task_act(task=parts[0], action="start", by=engineer)
    services.task_act(task=parts[0], action="finish", by=engineer, reason="换了水管")
    assert Case.objects.get(pk=sent.case_id).status == Case.Status.IN_PROGRESS
    services.task_act(task=parts[1], action="start", by=other_engineer)
    services.task_act(task=parts[1], action="finish", by=other_engineer, reason="换了密封条")
    assert Case.objects.get(pk=sent.case_id).status == Case.Status.RESOLVED
    page = _text(client.get(response.url))
    assert "换了水管" in page and "换了密封条" in page


def test_add_a_part_shows_another_row_and_keeps_what_was_typed(client, crm_a, sent, engineer):
    _login(client, crm_a)
    url = reverse("complaints:task_split", args=[sent.pk])
    before = _written()
    due = _when(later(24))
    response = client.post(
        url,
        {
            **_split([{"trade": "plumbing", "assignee": engineer.pk, "due_at": due}], "带梯子"),
            "add_part": "1",
        },
    )
    assert response.status_code == 200
    page = _text(response)
    assert 'name="part-TOTAL_FORMS" value="2"' in page
    assert '<option value="plumbing" selected>' in page and due in page and "带梯子" in page
    assert "part-1-trade" in page
    assert _written() == before


def _refused(client, url, data):
    before = _written()
    response = client.post(url, data)
    assert response.status_code == 400
    assert _written() == before
    return _text(response)


def test_a_bad_split_is_refused_on_the_form_in_chinese_keeping_what_was_typed(
    client, crm_a, company_b, sent, engineer
):
    _login(client, crm_a)
    url = reverse("complaints:task_split", args=[sent.pk])
    due = _when(later(24))
    empty = {"trade": "", "department": "", "assignee": "", "due_at": ""}
    page = _refused(client, url, _split([empty, empty], "不能丢"))
    assert "拆分至少需要一个专业。" in page and "不能丢" in page
    page = _refused(client, url, _split([{"trade": "", "assignee": engineer.pk, "due_at": due}]))
    assert "请为拆分的每一部分选择专业。" in page and due in page
    past = _when(timezone.now() - datetime.timedelta(hours=1))
    page = _refused(
        client, url, _split([{"trade": "windows", "assignee": engineer.pk, "due_at": past}])
    )
    assert "期限必须晚于当前时间。" in page and '<option value="windows" selected>' in page
    # Another company's department is no choice on the form.
    elsewhere = Department.objects.create(company=company_b, kind="engineering", name="外部")
    page = _refused(
        client, url, _split([{"trade": "windows", "department": elsewhere.pk, "due_at": due}])
    )
    assert "选择一个有效的选项" in page


def test_a_task_already_at_work_is_neither_split_nor_transferred(client, crm_a, sent, engineer):
    services.task_act(task=sent, action="start", by=engineer)
    _login(client, crm_a)
    due = _when(later(24))
    url = reverse("complaints:task_split", args=[sent.pk])
    page = _refused(
        client, url, _split([{"trade": "windows", "assignee": engineer.pk, "due_at": due}])
    )
    assert "不能执行“按专业拆分”" in page and '<option value="windows" selected>' in page
    transfer = reverse("complaints:task_transfer", args=[sent.pk])
    page = _refused(
        client, transfer, {"assignee": engineer.pk, "due_at": due, "reason": "换人试试"}
    )
    assert "不能执行“转派”" in page and "换人试试" in page
    # Opening the form says so on the case page.
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"/complaints/cases/{sent.case_id}/"
    assert "不能执行“按专业拆分”" in _text(client.get(response.url))


def test_a_task_is_transferred_with_its_reason(client, crm_a, sent, engineer):
    _login(client, crm_a)
    url = reverse("complaints:task_transfer", args=[sent.pk])
    assert client.get(url).status_code == 200
    due = _when(later(24))
    page = _refused(client, url, {"assignee": engineer.pk, "due_at": due, "reason": ""})
    assert "该字段是必填项。" in page and f'<option value="{engineer.pk}" selected>' in page
    past = _when(timezone.now() - datetime.timedelta(hours=1))
    page = _refused(client, url, {"assignee": engineer.pk, "due_at": past, "reason": "李工熟悉"})
    assert "期限必须晚于当前时间。" in page and "李工熟悉" in page
    response = client.post(
        url, {"assignee": engineer.pk, "due_at": due, "reason": "李工熟悉该楼栋"}
    )
    assert response.status_code == 302 and response.url == f"/complaints/cases/{sent.case_id}/"
    new = Task.objects.exclude(pk=sent.pk).get(case=sent.case)
    assert new.assignee == engineer and new.status == "sent" and new.instructions == "先查漏点"
    assert Task.objects.get(pk=sent.pk).status == Task.Status.CANCELLED
    assert StateEvent.objects.get(object_id=sent.pk, action="transfer").reason == "李工熟悉该楼栋"
    page = _text(client.get(response.url))
    assert "任务已转派。" in page and "李工熟悉该楼栋" in page


def test_a_handler_may_not_split_or_transfer_and_other_companies_see_nothing(
    client, crm_b, sent, engineer
):
    due = _when(later(24))
    split = _split([{"trade": "windows", "assignee": engineer.pk, "due_at": due}])
    transfer = {"assignee": engineer.pk, "due_at": due, "reason": "换人"}
    before = _written()
    _login(client, engineer)  # the department's handler works the task, does not dispatch it
    for name, data in (("task_split", split), ("task_transfer", transfer)):
        url = reverse(f"complaints:{name}", args=[sent.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    _login(client, crm_b)
    for name, data in (("task_split", split), ("task_transfer", transfer)):
        url = reverse(f"complaints:{name}", args=[sent.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert _written() == before


def test_a_transferred_task_reads_cancelled_not_moved_out(client, crm_a, sent, engineer):
    """Task, case and ownership shared the msgid "Cancelled", translated 已退房 (a
    cancelled purchase): the history of a transferred task read 已发送 → 已退房."""
    from django.utils import translation

    from customers.models import Ownership

    services.task_transfer(
        task=sent, by=crm_a, assignee=engineer, due_at=later(), reason="李工熟悉该楼栋"
    )
    _login(client, crm_a)
    page = _text(client.get(reverse("complaints:case", args=[sent.case_id])))
    assert "已发送 → 已取消" in page and "已退房" not in page
    with translation.override("zh-hans"):
        assert str(Ownership.Status.CANCELLED.label) == "已退房"
        assert str(Case.Status.CANCELLED.label) == "已取消"
