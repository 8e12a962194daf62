"""Group complaints (群诉), the rest of issue 9: a lead case is not cancelled while other
owners' open cases hang on it (refused in Chinese, nothing written; unlinking them first
makes it possible); the 群诉 list has its menu entry for those who may read it; and the
demo makes three realistic group complaints, once however often it runs."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import StateEvent
from complaints import incident_demo, services
from complaints.models import Case, Incident
from complaints.services import incidents
from org.models import Department, Role
from tests.factories import BuildingFactory, MembershipFactory, UnitFactory, UserFactory
from vanke_crm.errors import InvalidInput

from .test_incidents import _categories, _login, _owner_case

pytestmark = pytest.mark.django_db
REFUSAL = "牵头工单"
HOURS = datetime.timedelta(hours=48)


@pytest.fixture
def group(crm_a, company_a, project_a):
    """A lead case and two linked owners' cases of one building's leaking windows."""
    windows = _categories()["quality-windows"]
    building = BuildingFactory(project=project_a, number="5")
    cases = [
        _owner_case(crm_a, company_a, UnitFactory(building=building), n, windows) for n in range(3)
    ]
    incident = incidents.incident_create(case=cases[0], by=crm_a)
    for member in cases[1:]:
        incidents.incident_link(incident=incident, case=member, by=crm_a)
    return incident, cases[0], cases[1:]


def _cancel_events(case) -> int:
    return StateEvent.objects.filter(object_id=case.pk, action="cancel").count()


def test_the_lead_with_open_members_is_not_cancelled(crm_a, group):
    _incident, lead, members = group
    with pytest.raises(InvalidInput) as refused:
        services.case_act(case=lead, action="cancel", by=crm_a, reason="重复登记")
    assert REFUSAL in str(refused.value) and "移出" in str(refused.value)
    lead.refresh_from_db()
    assert lead.status == Case.Status.RECEIVED and _cancel_events(lead) == 0
    assert all(Case.objects.get(pk=m.pk).incident_id == lead.incident_id for m in members)


def test_the_case_page_offers_no_cancel_and_a_posted_one_is_refused(client, crm_a, group):
    _incident, lead, _members = group
    _login(client, crm_a)
    url = reverse("complaints:case", args=[lead.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="action-cancel"' not in page and 'data-testid="action-accept"' in page
    posted = client.post(url, {"action": "cancel", "reason": "重复登记"})
    assert posted.status_code == 400 and REFUSAL in posted.content.decode()
    assert _cancel_events(lead) == 0


def test_the_api_refuses_it_with_the_reason(crm_a, group):
    _incident, lead, _members = group
    api = APIClient()
    api.force_authenticate(crm_a)
    answer = api.post(
        f"/api/v1/cases/{lead.pk}/act/", {"action": "cancel", "reason": "重复登记"}, format="json"
    )
    assert answer.status_code == 400 and REFUSAL in str(answer.data)
    assert _cancel_events(lead) == 0


def test_unlinked_first_the_lead_is_cancelled_and_the_members_go_on_alone(client, crm_a, group):
    incident, lead, members = group
    for member in members:
        incidents.incident_unlink(incident=incident, case=member, by=crm_a)
    _login(client, crm_a)
    url = reverse("complaints:case", args=[lead.pk])
    assert 'data-testid="action-cancel"' in client.get(url).content.decode()
    lead = services.case_act(case=lead, action="cancel", by=crm_a, reason="重复登记")
    assert lead.status == Case.Status.CANCELLED
    for member in members:
        member.refresh_from_db()
        assert member.incident_id is None and member.status == Case.Status.RECEIVED


def test_a_member_may_still_be_cancelled(crm_a, group):
    _incident, lead, members = group
    case = services.case_act(case=members[0], action="cancel", by=crm_a, reason="重复登记")
    assert case.status == Case.Status.CANCELLED
    assert Case.objects.get(pk=lead.pk).status == Case.Status.RECEIVED


def test_the_menu_has_group_complaints_for_those_who_read_the_queue(
    client, crm_a, manager_a, group_staff, handler_a
):
    entry = 'data-nav="complaint_incidents"'
    for user in (crm_a, manager_a, group_staff):
        _login(client, user)
        page = client.get(reverse("complaints:incidents")).content.decode()
        assert entry in page and 'href="/complaints/incidents/"' in page and "群诉" in page
    _login(client, handler_a)
    assert entry not in client.get(reverse("complaints:my_tasks")).content.decode()
    assert client.get(reverse("complaints:incidents")).status_code == 403


@pytest.fixture
def demo_company(company_a, project_a):
    """What the demo's seed gives a company before the group complaints: its CRM staff
    and engineer named by the company's code, an engineering department, buildings."""
    from tests.factories import make_staff

    make_staff(Role.COMPANY_CRM, company_a, username=f"{company_a.code}_crm")
    works = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    engineer = UserFactory(username=f"{company_a.code}_engineer", name="黄志强")
    MembershipFactory(user=engineer, company=company_a, role=Role.HANDLER, department=works)
    crm = company_a.memberships.get(role=Role.COMPANY_CRM).user
    _categories()
    for number in ("1", "2", "3"):
        building = BuildingFactory(project=project_a, number=number)
        for _n in range(12):
            UnitFactory(building=building)
    # an owner on record in building 3; the others are callers of their unit
    _owner_case(crm, company_a, building.units.first(), 99, _categories()["facilities"])
    return company_a


class _Ctx:
    scale = 1

    def __init__(self):
        self.out = io.StringIO()

    def say(self, text):
        self.out.write(text + "\n")


def test_the_demo_makes_three_group_complaints_once(demo_company):
    incident_demo.seed_incidents(_Ctx())
    made = list(Incident.objects.filter(company=demo_company).order_by("pk"))
    assert len(made) == 3
    sizes = [incident.cases.count() for incident in made]
    assert sizes == [10, 6, 7]
    open_, visited, grouped = made
    assert "外窗渗水" in open_.title and open_.lead_case.status == Case.Status.IN_PROGRESS
    assert set(open_.cases.exclude(pk=open_.lead_case_id).values_list("status", flat=True)) == {
        Case.Status.RECEIVED
    }
    assert visited.resolved_at is not None
    assert set(visited.cases.values_list("status", flat=True)) == {Case.Status.CLOSED}
    for case in visited.cases.all():
        assert case.return_visits.filter(answered_at__isnull=False).count() == 1
    assert grouped.lead_case.status == Case.Status.ACCEPTED
    assert all(case.severity == Case.Severity.GROUP for i in made for case in i.cases.all())
    # one building each, of the company's
    assert len({incident.building_id for incident in made}) == 3
    before = (Incident.objects.count(), Case.objects.count(), StateEvent.objects.count())
    incident_demo.seed_incidents(_Ctx())
    assert (Incident.objects.count(), Case.objects.count(), StateEvent.objects.count()) == before


def test_a_members_page_offers_none_of_the_leads_work(client, crm_a, engineering, group):
    """A member is dispatched, resolved and confirmed on its lead: its own page offers
    no dispatch form and no resolve or confirm button (they would only be refused)."""
    _incident, lead, members = group
    _login(client, crm_a)
    member_url = reverse("complaints:case", args=[members[0].pk])
    page = client.get(member_url).content.decode()
    assert 'data-testid="dispatch-form"' not in page
    assert 'data-testid="action-resolve"' not in page
    assert (
        'data-testid="dispatch-form"'
        in client.get(reverse("complaints:case", args=[lead.pk])).content.decode()
    )
    task = services.case_dispatch(
        case=lead, by=crm_a, department=engineering, due_at=timezone.now() + HOURS
    )
    services.task_act(task=task, action="start", by=crm_a)
    services.task_act(task=task, action="finish", by=crm_a, reason="统一更换密封胶")
    assert Case.objects.get(pk=members[0].pk).status == Case.Status.RESOLVED
    page = client.get(member_url).content.decode()
    assert 'data-testid="action-confirm"' not in page
    lead_page = client.get(reverse("complaints:case", args=[lead.pk])).content.decode()
    assert 'data-testid="action-confirm"' in lead_page
