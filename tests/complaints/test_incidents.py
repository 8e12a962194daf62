"""Group complaints (群诉, issue 9 acceptance 4): one cause, many owners, handled once.
A group complaint of 30 owners is resolved once on its lead case and each owner's case
follows, each an event naming who acted; its confirmation gives each owner their own
return visit. Refusals: another company's case, a closed case, a case already linked,
a member dispatched on its own, a wrong role; the API's 404 for another company."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import StateEvent
from complaints import services
from complaints.models import Case, Category, Incident
from complaints.services import incidents
from complaints.services.sweep import sla_sweep
from customers.services import ownership_create
from org.models import Role
from tests.customers.factories import CustomerFactory
from tests.factories import BuildingFactory, UnitFactory, make_staff
from vanke_crm.errors import IllegalTransition, InvalidInput

pytestmark = pytest.mark.django_db
OWNERS = 30
RESOLUTION = "5号楼外窗密封胶统一更换，淋水试验合格"


def _categories():
    from complaints.defaults import create_defaults

    create_defaults(Category)
    return {c.code: c for c in Category.objects.all()}


def _owner_case(crm, company, unit, n, category, *, with_user=False, received_at=None):
    user = None
    mobile = f"+8613955{n:06d}"
    if with_user:
        user = User.objects.create_user(
            username=f"owner{n}", mobile=mobile, kind=User.Kind.OWNER, name=f"业主{n}"
        )
    customer = CustomerFactory(company=company, name=f"业主{n}", mobile=mobile, user=user)
    ownership_create(customer=customer, unit=unit, by=crm, subscribed_on=datetime.date(2024, 1, 1))
    return services.case_create(
        company=company,
        by=crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title="窗户渗水",
        description="下雨时窗框渗水",
        customer=customer,
        unit=unit,
        category=category,
        received_at=received_at,
    )


@pytest.fixture
def building(project_a):
    return BuildingFactory(project=project_a, number="5")


@pytest.fixture
def windows():
    return _categories()["quality-windows"]


@pytest.fixture
def lead(crm_a, company_a, building, windows):
    return _owner_case(crm_a, company_a, UnitFactory(building=building), 0, windows)


def _later(hours=48):
    return timezone.now() + datetime.timedelta(hours=hours)


def _events(case):
    return list(
        StateEvent.objects.filter(object_id=case.pk, content_type__model="case")
        .order_by("pk")
        .values_list("action", "to_state", "actor__username", "reason")
    )


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")


def test_a_group_complaint_of_30_owners_is_resolved_once_and_30_return_visits_follow(
    client,
    crm_a,
    company_a,
    building,
    windows,
    engineering,
    engineer,
    django_capture_on_commit_callbacks,
):
    cases = [
        _owner_case(crm_a, company_a, UnitFactory(building=building), n, windows, with_user=True)
        for n in range(OWNERS)
    ]
    incident = incidents.incident_create(case=cases[0], by=crm_a)
    lead = Case.objects.get(pk=cases[0].pk)
    assert lead.severity == Case.Severity.GROUP and lead.incident_id == incident.pk
    # The other 29 are the suggestions (same building, same category, in the window).
    from complaints.incidents import incident_suggestions

    suggested = list(incident_suggestions(incident, limit=50))
    assert {c.pk for c in suggested} == {c.pk for c in cases[1:]}
    for case in suggested:
        incidents.incident_link(incident=incident, case=case, by=crm_a)
    assert Case.objects.filter(incident=incident).count() == OWNERS

    # Handled once: the lead is dispatched, the engineer finishes the one task.
    lead = services.case_act(case=lead, action="accept", by=crm_a)
    task = services.case_dispatch(case=lead, by=crm_a, department=engineering, due_at=_later())
    task = services.task_act(task=task, action="start", by=engineer)
    services.task_act(task=task, action="finish", by=engineer, reason=RESOLUTION)

    all_cases = Case.objects.filter(incident=incident)
    assert set(all_cases.values_list("status", flat=True)) == {Case.Status.RESOLVED}
    assert set(all_cases.values_list("resolution", flat=True)) == {RESOLUTION}
    member = cases[7]
    assert _events(member)[-1] == (
        "resolve_with_incident",
        Case.Status.RESOLVED,
        "engineer_a",
        RESOLUTION,
    )
    assert Incident.objects.get(pk=incident.pk).resolved_at is not None

    lead = services.case_act(case=Case.objects.get(pk=lead.pk), action="confirm", by=crm_a)
    all_cases = Case.objects.filter(incident=incident)
    assert all_cases.filter(status=Case.Status.AWAITING_VISIT).count() == OWNERS
    assert all_cases.filter(visit_due_at__isnull=False).count() == OWNERS
    assert _events(member)[-1][:3] == ("confirm", Case.Status.AWAITING_VISIT, "crm_a")
    # Each owner's own return visit (the confirm transition opens it, decision 0026).
    from complaints.models import ReturnVisit

    assert ReturnVisit.objects.filter(case__incident=incident).count() == OWNERS

    # Each owner's portal shows the resolution on their own case.
    for case in (cases[0], cases[7], cases[-1]):
        _login(client, case.customer.user)
        page = client.get(reverse("complaints:owner_case", args=[case.pk]))
        assert page.status_code == 200
        assert RESOLUTION in page.content.decode()

    # The member's case page names its history step in Chinese.
    _login(client, crm_a)
    html = client.get(reverse("complaints:case", args=[member.pk])).content.decode()
    assert "随群诉一并解决" in html and RESOLUTION in html


def test_a_member_is_not_dispatched_resolved_or_confirmed_on_its_own(
    crm_a, company_a, building, windows, lead, engineering
):
    incident = incidents.incident_create(case=lead, by=crm_a)
    member = _owner_case(crm_a, company_a, UnitFactory(building=building), 1, windows)
    incidents.incident_link(incident=incident, case=member, by=crm_a)
    with pytest.raises(IllegalTransition) as refused:
        services.case_dispatch(case=member, by=crm_a, department=engineering, due_at=_later())
    assert incident.number in str(refused.value)
    assert not member.tasks.exists()
    # Resolving "with the group complaint" is the lead's fan-out, not a button.
    with pytest.raises(IllegalTransition):
        services.case_act(case=member, action="resolve_with_incident", by=crm_a, reason="x")
    assert Case.objects.get(pk=member.pk).status == Case.Status.RECEIVED


def test_link_refusals_say_why(
    crm_a, crm_b, company_a, company_b, project_b, building, windows, lead, group_staff
):
    incident = incidents.incident_create(case=lead, by=crm_a)
    # Another company's case (group staff see both companies: the rule still holds).
    other = _owner_case(
        crm_b, company_b, UnitFactory(building=BuildingFactory(project=project_b)), 90, windows
    )
    with pytest.raises(InvalidInput, match="另一家公司|another company"):
        incidents.incident_link(incident=incident, case=other, by=group_staff)
    # A closed (cancelled) case.
    closed = _owner_case(crm_a, company_a, UnitFactory(building=building), 91, windows)
    services.case_act(case=closed, action="cancel", by=crm_a, reason="重复登记")
    with pytest.raises(InvalidInput) as refused:
        incidents.incident_link(incident=incident, case=closed, by=crm_a)
    assert closed.number in str(refused.value)
    # A case already in another group complaint.
    elsewhere = _owner_case(crm_a, company_a, UnitFactory(building=building), 92, windows)
    second = incidents.incident_create(case=elsewhere, by=crm_a)
    with pytest.raises(InvalidInput) as refused:
        incidents.incident_link(incident=incident, case=elsewhere, by=crm_a)
    assert second.number in str(refused.value)
    # The lead cannot be unlinked; a case not in it cannot be either.
    with pytest.raises(InvalidInput):
        incidents.incident_unlink(incident=incident, case=lead, by=crm_a)
    with pytest.raises(InvalidInput):
        incidents.incident_unlink(incident=incident, case=elsewhere, by=crm_a)


def test_wrong_roles_are_refused(client, crm_a, company_a, manager_a, lead, engineer):
    from org.scoping import RoleRequired

    with pytest.raises(RoleRequired):
        incidents.incident_create(case=lead, by=manager_a)
    # On the page: a manager reads the panel but gets no button, and a POST is a 403.
    _login(client, manager_a)
    panel = client.get(reverse("complaints:case_incident", args=[lead.pk]))
    assert panel.status_code == 200 and "incident-create" not in panel.content.decode()
    assert client.post(reverse("complaints:case_incident", args=[lead.pk])).status_code == 403
    # A handler does not read cases at all.
    _login(client, engineer)
    assert client.get(reverse("complaints:case_incident", args=[lead.pk])).status_code == 404
    assert not Incident.objects.exists()


def test_the_case_panel_makes_a_group_complaint_and_links_a_suggestion(
    client, crm_a, crm_b, company_a, building, windows, lead
):
    neighbour = _owner_case(crm_a, company_a, UnitFactory(building=building), 1, windows)
    # Too long ago (outside the 7-day window): not suggested.
    old = _owner_case(
        crm_a,
        company_a,
        UnitFactory(building=building),
        2,
        windows,
        received_at=timezone.now() - datetime.timedelta(days=20),
    )
    _login(client, crm_a)
    page = client.get(reverse("complaints:case", args=[lead.pk])).content.decode()
    assert reverse("complaints:case_incident", args=[lead.pk]) in page
    made = client.post(reverse("complaints:case_incident", args=[lead.pk]), HTTP_HX_REQUEST="true")
    assert made.status_code == 200
    html = made.content.decode()
    incident = Incident.objects.get()
    assert incident.number in html and "群诉" in html
    assert neighbour.number in html and old.number not in html
    linked = client.post(
        reverse("complaints:case_incident_link", args=[lead.pk]),
        {"case": neighbour.pk},
        HTTP_HX_REQUEST="true",
    )
    assert linked.status_code == 200
    assert Case.objects.get(pk=neighbour.pk).incident_id == incident.pk
    # Linking it twice is refused with the reason, in Chinese.
    again = client.post(
        reverse("complaints:incident_link", args=[incident.pk]), {"case": neighbour.pk}, follow=True
    )
    assert "已属于群诉" in again.content.decode()
    # The incident page lists both complainants, with owner and unit.
    detail = client.get(reverse("complaints:incident", args=[incident.pk])).content.decode()
    assert lead.number in detail and neighbour.number in detail and "业主1" in detail
    # The queue's saved view of group complaints shows both.
    queue = client.get(reverse("complaints:queue") + "?view=incidents").content.decode()
    assert lead.number in queue and neighbour.number in queue and old.number not in queue
    # Another company's staff: no such incident.
    _login(client, crm_b)
    assert client.get(reverse("complaints:incident", args=[incident.pk])).status_code == 404


def test_the_sweeper_leaves_members_to_their_lead(crm_a, company_a, building, windows, lead):
    incident = incidents.incident_create(case=lead, by=crm_a)
    member = _owner_case(crm_a, company_a, UnitFactory(building=building), 1, windows)
    incidents.incident_link(incident=incident, case=member, by=crm_a)
    sla_sweep(now=timezone.now() + datetime.timedelta(days=60))
    assert Case.objects.get(pk=lead.pk).escalated_company_at is not None
    member = Case.objects.get(pk=member.pk)
    assert member.escalated_company_at is None and member.warned_at is None


def test_incidents_api_is_scoped_filterable_and_links(
    crm_a, crm_b, company_a, company_b, building, windows, lead
):
    api = APIClient()
    api.force_authenticate(crm_a)
    made = api.post("/api/v1/incidents/", {"case": lead.pk}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["lead_case"] == lead.pk and body["member_count"] == 1
    neighbour = _owner_case(crm_a, company_a, UnitFactory(building=building), 1, windows)
    suggested = api.get(f"/api/v1/incidents/{body['id']}/suggestions/").json()
    assert [row["id"] for row in suggested] == [neighbour.pk]
    linked = api.post(
        f"/api/v1/incidents/{body['id']}/link/", {"case": neighbour.pk}, format="json"
    )
    assert linked.status_code == 200 and linked.json()["member_count"] == 2
    again = api.post(
        f"/api/v1/incidents/{body['id']}/link/",
        {"case": neighbour.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert again.status_code == 400 and "已属于群诉" in again.json()["detail"] + str(again.json())
    listed = api.get("/api/v1/incidents/", {"building": building.pk, "status": "received"})
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert api.get("/api/v1/incidents/", {"status": "closed"}).json()["results"] == []
    # Another company's staff: 404, and their cases are no case here.
    other = APIClient()
    other.force_authenticate(crm_b)
    assert other.get(f"/api/v1/incidents/{body['id']}/").status_code == 404
    assert (
        other.post(f"/api/v1/incidents/{body['id']}/link/", {"case": 1}, format="json").status_code
        == 404
    )
    assert other.get("/api/v1/incidents/").json()["results"] == []
    refused = other.post("/api/v1/incidents/", {"case": lead.pk}, format="json")
    assert refused.status_code == 400  # not their case: "no such case"
    # A handler's role has no access to the incidents at all.
    handler = make_staff(Role.HANDLER, company_a, username="handler_api")
    client = APIClient()
    client.force_authenticate(handler)
    assert client.get("/api/v1/incidents/").status_code == 403
