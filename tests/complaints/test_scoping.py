"""Company scoping of the complaints (issue 9, acceptance 6), swept over every address:
company-A staff (customer relations, a manager) and a company-A handler get 404 for
company B's cases, tasks, events, photos, return visits and group complaints, on the
pages and in the API, reading and writing, and nothing of company B changes; a handler
cannot open a task sent to a colleague; a list filter naming another company's project,
department, customer, handler or case never shows its rows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import StateEvent
from complaints import services
from complaints.models import Attachment, Case, CaseNote, Incident, ReturnVisit, Task
from complaints.services import incidents
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import BuildingFactory, MembershipFactory, UnitFactory, UserFactory

from .test_life_cycle import later, new_case, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_b(crm_b, company_b, project_b):
    """Company B: a case awaiting its return visit (its task done, with a photo), a case
    with an open task (with a photo) and a group complaint led by a third case."""
    works = Department.objects.create(company=company_b, kind="engineering", name="上海工程部")
    fixer = UserFactory(username="fixer_b", name="沪工")
    MembershipFactory(user=fixer, company=company_b, role=Role.HANDLER, department=works)
    building = BuildingFactory(project=project_b, number="8")
    owner = CustomerFactory(company=company_b, name="沪业主", mobile="+8613700001111")

    visited = new_case(crm_b, company_b, customer=owner, project=project_b)
    done = services.case_dispatch(case=visited, by=crm_b, assignee=fixer, due_at=later())
    services.task_act(task=done, action="start", by=fixer)
    services.task_photo_add(task=done, by=fixer, upload=photo())
    services.task_act(task=done, action="finish", by=fixer, reason="已修复")
    visited = services.case_act(case=Case.objects.get(pk=visited.pk), action="confirm", by=crm_b)

    working = new_case(crm_b, company_b, customer=owner, project=project_b)
    services.case_note_add(case=working, by=crm_b, text="沪内部备注")
    task = services.case_dispatch(case=working, by=crm_b, assignee=fixer, due_at=later())
    services.task_photo_add(task=task, by=fixer, upload=photo())

    lead = new_case(
        crm_b, company_b, customer=owner, project=project_b, unit=UnitFactory(building=building)
    )
    incident = incidents.incident_create(case=lead, by=crm_b)
    return {
        "visited": visited,
        "visit": visited.return_visits.get(),
        "working": working,
        "task": task,
        "photo": Attachment.objects.filter(task=task).get(),
        "lead": lead,
        "incident": incident,
        "works": works,
        "fixer": fixer,
        "owner": owner,
        "building": building,
        "crm_b": crm_b,
    }


def _snapshot():
    """Everything the sweep could change, to show that nothing did."""
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "assignee", "incident")),
        list(Task.objects.order_by("pk").values_list("pk", "status", "assignee")),
        list(ReturnVisit.objects.order_by("pk").values_list("pk", "answered_at")),
        StateEvent.objects.count(),
        CaseNote.objects.count(),
        Attachment.objects.count(),
        Incident.objects.count(),
    )


def _page_requests(b):
    case, task, incident = b["working"], b["task"], b["incident"]
    lead, visited = b["lead"], b["visited"]
    return [
        ("get", reverse("complaints:case", args=[case.pk]), {}),
        ("post", reverse("complaints:case", args=[case.pk]), {"action": "pause", "reason": "x"}),
        ("post", reverse("complaints:case", args=[visited.pk]), {"action": "visit"}),
        (
            "post",
            reverse("complaints:case_dispatch", args=[lead.pk]),
            {"department": b["works"].pk, "due_at": later().strftime("%Y-%m-%dT%H:%M")},
        ),
        ("post", reverse("complaints:case_note", args=[case.pk]), {"text": "越权备注"}),
        ("get", reverse("complaints:case_suggestions", args=[case.pk]), {}),
        ("get", reverse("complaints:case_incident", args=[case.pk]), {}),
        ("post", reverse("complaints:case_incident", args=[case.pk]), {}),
        ("post", reverse("complaints:case_incident_link", args=[lead.pk]), {"case": case.pk}),
        ("get", reverse("complaints:task", args=[task.pk]), {}),
        ("post", reverse("complaints:task", args=[task.pk]), {"action": "accept"}),
        ("post", reverse("complaints:task_photo", args=[task.pk]), {"photo": photo()}),
        ("get", reverse("complaints:incident", args=[incident.pk]), {}),
        ("post", reverse("complaints:incident_link", args=[incident.pk]), {"case": case.pk}),
        ("post", reverse("complaints:incident_unlink", args=[incident.pk]), {"case": lead.pk}),
        ("get", f"/media/{b['photo'].file.name}", {}),
    ]


def _api_requests(b):
    case, task, visit, incident = b["working"], b["task"], b["visit"], b["incident"]
    due = later().isoformat()
    return [
        ("get", f"/api/v1/cases/{case.pk}/", {}),
        ("get", f"/api/v1/cases/{case.pk}/events/", {}),
        ("post", f"/api/v1/cases/{case.pk}/act/", {"action": "pause", "reason": "x"}),
        ("post", f"/api/v1/cases/{b['lead'].pk}/dispatch/", {"assignee": 1, "due_at": due}),
        ("get", f"/api/v1/tasks/{task.pk}/", {}),
        ("post", f"/api/v1/tasks/{task.pk}/act/", {"action": "accept"}),
        ("get", f"/api/v1/return-visits/{visit.pk}/", {}),
        ("post", f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "dissatisfied"}),
        ("get", f"/api/v1/incidents/{incident.pk}/", {}),
        ("get", f"/api/v1/incidents/{incident.pk}/suggestions/", {}),
        ("post", f"/api/v1/incidents/{incident.pk}/link/", {"case": case.pk}),
        ("post", f"/api/v1/incidents/{incident.pk}/unlink/", {"case": b["lead"].pk}),
    ]


@pytest.fixture
def outsiders(crm_a, manager_a, company_a):
    """Company A's customer relations, its manager and its handler."""
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    handler = UserFactory(username="fixer_a", name="李工")
    MembershipFactory(user=handler, company=company_a, role=Role.HANDLER, department=works)
    return {"crm_a": crm_a, "manager_a": manager_a, "handler_a": handler}


@pytest.mark.parametrize("who", ["crm_a", "manager_a", "handler_a"])
def test_company_a_gets_404_for_every_page_of_company_b(client, world_b, outsiders, who):
    client.force_login(outsiders[who], backend="accounts.backends.UsernameOrMobileBackend")
    before = _snapshot()
    for method, url, data in _page_requests(world_b):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "沪业主" not in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["crm_a", "manager_a", "handler_a"])
def test_company_a_gets_404_for_every_api_address_of_company_b(world_b, outsiders, who):
    api = APIClient()
    api.force_authenticate(outsiders[who])
    before = _snapshot()
    for method, url, data in _api_requests(world_b):
        response = getattr(api, method)(url, data, format="json")
        # A handler's role does not read cases, visits or incidents at all (403); what
        # it may read (tasks) is a 404 for another company's.
        allowed = (404,) if who != "handler_a" or url.startswith("/api/v1/tasks/") else (403, 404)
        assert response.status_code in allowed, (method, url, response.status_code)
        assert response.headers["Content-Type"].startswith("application/json")
        assert "沪业主" not in response.content.decode()
    assert _snapshot() == before


def test_company_b_staff_still_reach_all_of_it(client, world_b, crm_b):
    """The sweep's addresses are real: the owner of the rows reads them."""
    client.force_login(crm_b, backend="accounts.backends.UsernameOrMobileBackend")
    for method, url, _data in _page_requests(world_b):
        if method == "get":
            assert client.get(url).status_code == 200, url
    api = APIClient()
    api.force_authenticate(crm_b)
    for method, url, _data in _api_requests(world_b):
        if method == "get":
            assert api.get(url).status_code == 200, url


def test_a_handler_cannot_open_a_task_sent_to_a_colleague(client, world_b, company_b):
    colleague = UserFactory(username="fixer_b2", name="沪工二")
    MembershipFactory(
        user=colleague, company=company_b, role=Role.HANDLER, department=world_b["works"]
    )
    task, name = world_b["task"], world_b["photo"].file.name
    client.force_login(colleague, backend="accounts.backends.UsernameOrMobileBackend")
    assert client.get(reverse("complaints:task", args=[task.pk])).status_code == 404
    assert (
        client.post(reverse("complaints:task", args=[task.pk]), {"action": "start"}).status_code
        == 404
    )
    photo_post = client.post(reverse("complaints:task_photo", args=[task.pk]), {"photo": photo()})
    assert photo_post.status_code == 404
    assert client.get(f"/media/{name}").status_code == 404
    listing = client.get(reverse("complaints:my_tasks")).content.decode()
    assert world_b["working"].title not in listing or task.case.number not in listing
    api = APIClient()
    api.force_authenticate(colleague)
    assert api.get("/api/v1/tasks/").json()["results"] == []
    assert api.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert api.post(f"/api/v1/tasks/{task.pk}/act/", {"action": "start"}).status_code == 404
    assert Task.objects.get(pk=task.pk).status == Task.Status.SENT
    assert Attachment.objects.filter(task=task).count() == 1


@pytest.fixture
def world_a(crm_a, company_a, project_a):
    """Company A's own case and task, so that a filter that widened would show them."""
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    case = new_case(crm_a, company_a, project=project_a)
    task = services.case_dispatch(case=case, by=crm_a, department=works, due_at=later())
    return {"case": case, "task": task}


def test_api_list_filters_naming_company_b_show_none_of_its_rows(world_a, world_b, crm_a):
    api = APIClient()
    api.force_authenticate(crm_a)
    b = world_b
    b_cases = {b["working"].pk, b["visited"].pk, b["lead"].pk}
    probes = {
        "/api/v1/cases/": [
            {"company": b["working"].company_id},
            {"project": b["working"].project_id},
            {"customer": b["owner"].pk},
            {"assignee": b["crm_b"].pk},
            {"q": b["working"].number},
        ],
        "/api/v1/tasks/": [
            {"case": b["working"].pk},
            {"department": b["works"].pk},
            {"assignee": b["fixer"].pk},
        ],
        "/api/v1/return-visits/": [{"case": b["visited"].pk}],
        "/api/v1/incidents/": [
            {"company": b["lead"].company_id},
            {"project": b["lead"].project_id},
            {"building": b["building"].pk},
            {"case": b["lead"].pk},
        ],
    }
    for url, filters in probes.items():
        for params in filters:
            response = api.get(url, params)
            assert response.status_code == 200, (url, params)
            assert response.json()["results"] == [], (url, params)
    # The filters do work on company A's own rows.
    mine = api.get("/api/v1/cases/", {"project": world_a["case"].project_id}).json()
    assert [row["id"] for row in mine["results"]] == [world_a["case"].pk]
    assert not b_cases & {row["id"] for row in api.get("/api/v1/cases/").json()["results"]}


def test_queue_filters_naming_company_b_never_widen(client, world_a, world_b, crm_a, manager_a):
    """A filter value the user may not choose (another company's project, case owner or
    company) is refused on the form and shows no case at all: dropping it would widen the
    list to every case of the user's own company."""
    b = world_b
    for user in (crm_a, manager_a):
        client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
        for params in (
            {"project": b["working"].project_id},
            {"assignee": b["crm_b"].pk},
            {"company": b["working"].company_id},
            {"project": b["working"].project_id, "type": "repair"},
        ):
            response = client.get(reverse("complaints:queue"), params)
            assert response.status_code == 200, params
            assert response.context["rows"] == [], (user, params)
            assert b["working"].number not in response.content.decode()
            assert 'data-testid="filter-errors"' in response.content.decode()
        # Text search finds nothing of company B either.
        response = client.get(reverse("complaints:queue"), {"q": b["working"].number})
        assert response.context["rows"] == []
        # Their own project filter works.
        own = client.get(reverse("complaints:queue"), {"project": world_a["case"].project_id})
        assert [case.pk for case, *_r in own.context["rows"]] == [world_a["case"].pk]


def test_a_department_task_is_for_that_department_and_then_for_who_took_it(
    client, crm_a, company_a, engineering, engineer, other_engineer
):
    """Sent to engineering, a task is open to its handlers, not to property's; once an
    engineer starts it, it is theirs and no longer their colleague's."""
    property_staff = UserFactory(username="property_a", name="物业小张")
    MembershipFactory(
        user=property_staff,
        company=company_a,
        role=Role.HANDLER,
        department=Department.objects.create(company=company_a, kind="property", name="物业部"),
    )
    task = services.case_dispatch(
        case=new_case(crm_a, company_a), by=crm_a, department=engineering, due_at=later()
    )
    url = reverse("complaints:task", args=[task.pk])

    def reach(user):
        client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
        api = APIClient()
        api.force_authenticate(user)
        return client.get(url).status_code, api.get(f"/api/v1/tasks/{task.pk}/").status_code

    assert reach(property_staff) == (404, 404)
    assert reach(other_engineer) == (200, 200)
    services.task_act(task=task, action="start", by=engineer)
    assert reach(other_engineer) == (404, 404)
    assert reach(engineer) == (200, 200)
    client.force_login(other_engineer, backend="accounts.backends.UsernameOrMobileBackend")
    assert client.post(url, {"action": "finish", "reason": "x"}).status_code == 404
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS
