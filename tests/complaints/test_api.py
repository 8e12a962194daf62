"""The complaints API (issue 9): intake, actions, dispatch and events through the same
services as the pages, scoped like them: another company's case is a 404, a handler
lists only the tasks sent to them, an illegal action is a 400 with its reason."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Case

from .test_life_cycle import new_case

pytestmark = pytest.mark.django_db


def api(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    return client


def due() -> str:
    return (timezone.now() + datetime.timedelta(days=2)).isoformat()


def test_intake_to_closure_through_the_api(client, crm_a, company_a, engineering, engineer):
    api(client, crm_a)
    created = client.post(
        "/api/v1/cases/",
        {
            "company": company_a.pk,
            "type": "complaint",
            "channel": "email",
            "title": "门窗渗水",
            "description": "下雨时窗台进水",
            "caller_name": "陈先生",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["status"] == "received" and "accept" in case["actions"]
    url = f"/api/v1/cases/{case['id']}/"
    assert client.post(url + "act/", {"action": "accept"}).status_code == 200
    task = client.post(url + "dispatch/", {"department": engineering.pk, "due_at": due()})
    assert task.status_code == 201, task.content
    api(client, engineer)
    task_url = f"/api/v1/tasks/{task.json()['id']}/act/"
    assert client.post(task_url, {"action": "start"}).json()["status"] == "in_progress"
    done = client.post(task_url, {"action": "finish", "reason": "更换密封条"})
    assert done.status_code == 200
    api(client, crm_a)
    assert client.get(url).json()["status"] == "resolved"
    client.post(url + "act/", {"action": "confirm"})
    closed = client.post(url + "act/", {"action": "visit", "verdict": "satisfied"})
    assert closed.json()["status"] == "closed"
    steps = [(e["action"], e["actor_name"]) for e in client.get(url + "events/").json()]
    assert [a for a, _ in steps] == [
        "accept",
        "dispatch",
        "start",
        "start",
        "finish",
        "resolve",
        "confirm",
        "visit",
    ]


def test_refusals_answer_with_their_status_and_reason(
    client, crm_a, crm_b, handler_a, company_a, engineering
):
    case = new_case(crm_a, company_a)
    url = f"/api/v1/cases/{case.pk}/"
    api(client, crm_b)
    assert client.get(url).status_code == 404
    assert client.post(url + "act/", {"action": "accept"}).status_code == 404
    assert client.get(f"/api/v1/cases/?company={company_a.pk}").json()["results"] == []
    api(client, handler_a)
    assert client.get("/api/v1/cases/").status_code == 403
    api(client, crm_a)
    refused = client.post(url + "act/", {"action": "confirm"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and "detail" in refused.json()
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    refused = client.post(url + "dispatch/", {"department": engineering.pk, "due_at": past})
    assert refused.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED


def test_a_handler_lists_only_the_tasks_sent_to_them(
    client, crm_a, company_a, engineer, other_engineer
):
    from complaints import services

    mine = services.case_dispatch(
        case=new_case(crm_a, company_a),
        by=crm_a,
        assignee=engineer,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )
    theirs = services.case_dispatch(
        case=new_case(crm_a, company_a),
        by=crm_a,
        assignee=other_engineer,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )
    api(client, engineer)
    listed = [t["id"] for t in client.get("/api/v1/tasks/").json()["results"]]
    assert listed == [mine.pk]
    assert client.get(f"/api/v1/tasks/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/tasks/{theirs.pk}/act/", {"action": "accept"}).status_code == 404
