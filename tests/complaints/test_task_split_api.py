"""Splitting a task across trades and transferring it, through the API (issue 9: "a
task can be transferred, split into sub-tasks across trades"): the service existed but
nothing reached it. Customer relations split a task into a part per trade (the task is
closed, each part goes to its handler, the case resolves when every part is done) or
give it to someone else with the reason. Refusals in Chinese, nothing written: a split
with no trades, a part without its trade, a deadline in the past, another company's
department, a handler's role, another company's staff, a task already at work."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import StateEvent
from complaints import services
from complaints.models import Case, Task
from org.models import Department

from .test_life_cycle import later, new_case

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _written():
    return (
        list(Task.objects.order_by("pk").values_list("pk", "status", "assignee")),
        list(Case.objects.order_by("pk").values_list("pk", "status")),
        StateEvent.objects.count(),
    )


@pytest.fixture
def sent(crm_a, company_a, engineering):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    return services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())


def _part(trade, user, hours=48):
    return {"trade": trade, "assignee": user.pk, "due_at": later(hours).isoformat()}


def test_a_task_is_split_across_trades_and_the_case_resolves_with_every_part(
    crm_a, sent, engineer, other_engineer
):
    response = _api(crm_a).post(
        f"/api/v1/tasks/{sent.pk}/split/",
        {"parts": [_part("waterproofing", engineer), _part("decoration", other_engineer)]},
        format="json",
    )
    assert response.status_code == 201, response.content
    parts = response.json()
    assert [(p["trade"], p["assignee"], p["parent"]) for p in parts] == [
        ("waterproofing", engineer.pk, sent.pk),
        ("decoration", other_engineer.pk, sent.pk),
    ]
    assert Task.objects.get(pk=sent.pk).status == Task.Status.CANCELLED
    for part, handler, note in zip(
        parts, (engineer, other_engineer), ("防水", "墙面"), strict=True
    ):
        api = _api(handler)
        listed = api.get("/api/v1/tasks/", {"status": "sent"}).json()["results"]
        assert [t["id"] for t in listed] == [part["id"]]
        url = f"/api/v1/tasks/{part['id']}/act/"
        assert api.post(url, {"action": "start"}).status_code == 200
        assert api.post(url, {"action": "finish", "reason": note}).status_code == 200
    case = Case.objects.get(pk=sent.case_id)
    assert case.status == Case.Status.RESOLVED
    assert "防水" in case.resolution and "墙面" in case.resolution


@pytest.mark.parametrize(
    "parts, words",
    [
        ([], "拆分至少需要一个专业。"),
        ([{"trade": "", "due_at": "LATER"}], "请为拆分的每一部分选择专业。"),
        ([{"trade": "decoration", "due_at": "PAST"}], "期限必须晚于当前时间。"),
    ],
    ids=["no-trades", "no-trade-on-a-part", "past-deadline"],
)
def test_a_bad_split_is_refused_in_chinese_and_writes_nothing(crm_a, sent, engineer, parts, words):
    moments = {
        "LATER": later().isoformat(),
        "PAST": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }
    parts = [{**p, "assignee": engineer.pk, "due_at": moments[p["due_at"]]} for p in parts]
    before = _written()
    response = _api(crm_a).post(
        f"/api/v1/tasks/{sent.pk}/split/", {"parts": parts}, format="json", **ZH
    )
    assert response.status_code == 400
    assert words in str(response.json()), response.json()
    assert _written() == before


def test_split_refusals_by_whom_and_where(crm_a, crm_b, company_b, sent, engineer):
    before = _written()
    elsewhere = Department.objects.create(company=company_b, kind="engineering", name="外部")
    other_department = _api(crm_a).post(
        f"/api/v1/tasks/{sent.pk}/split/",
        {
            "parts": [
                {"trade": "decoration", "department": elsewhere.pk, "due_at": later().isoformat()}
            ]
        },
        format="json",
        **ZH,
    )
    assert other_department.status_code == 400 and "department" in other_department.json()
    body = {"parts": [_part("decoration", engineer)]}
    # The handler works the task but does not dispatch it.
    handler = _api(engineer).post(f"/api/v1/tasks/{sent.pk}/split/", body, format="json", **ZH)
    assert handler.status_code == 403 and handler.json()["detail"]
    # Another company's staff: no such task.
    assert (
        _api(crm_b).post(f"/api/v1/tasks/{sent.pk}/split/", body, format="json").status_code == 404
    )
    assert _written() == before


def test_a_task_is_transferred_with_its_reason(crm_a, sent, engineer, other_engineer):
    api = _api(crm_a)
    url = f"/api/v1/tasks/{sent.pk}/transfer/"
    before = _written()
    no_reason = api.post(
        url, {"assignee": engineer.pk, "due_at": later().isoformat()}, format="json", **ZH
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert _written() == before
    moved = api.post(
        url,
        {"assignee": engineer.pk, "due_at": later().isoformat(), "reason": "李工熟悉该楼栋"},
        format="json",
    )
    assert moved.status_code == 201, moved.content
    new = moved.json()
    assert new["assignee"] == engineer.pk and new["status"] == "sent" and new["id"] != sent.pk
    old = Task.objects.get(pk=sent.pk)
    assert old.status == Task.Status.CANCELLED
    assert StateEvent.objects.filter(object_id=old.pk, action="transfer").get().reason == (
        "李工熟悉该楼栋"
    )
    # Once at work it is not transferred (the handler sends it back instead).
    services.task_act(task=Task.objects.get(pk=new["id"]), action="start", by=engineer)
    before = _written()
    late = api.post(
        f"/api/v1/tasks/{new['id']}/transfer/",
        {"assignee": other_engineer.pk, "due_at": later().isoformat(), "reason": "换人"},
        format="json",
        **ZH,
    )
    assert late.status_code == 400 and "不能执行“转派”" in late.json()["detail"]
    assert _written() == before
