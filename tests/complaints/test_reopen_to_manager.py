"""A dissatisfied return visit reopens the case to the handler's manager (issue 9): the
managers of the department whose handler finished the last task get one inbox message
each, the company's customer-relations manager when that department has none; nobody
of another company or department hears of it; the case page says whom it went to."""

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Case
from notifications.models import Channel, Message
from notifications.records import record_ref
from org.models import Department, Role
from tests.factories import MembershipFactory, UserFactory, make_staff

from .test_return_visits import awaiting, link_of, resolve_again

pytestmark = pytest.mark.django_db
TEMPLATE = "complaints.reopened_to_manager"


def _manager(company, department, username, name):
    user = UserFactory(username=username, name=name)
    MembershipFactory(user=user, company=company, role=Role.MANAGER, department=department)
    return user


@pytest.fixture
def works_manager(company_a, engineering):
    return _manager(company_a, engineering, "works_manager", "王经理")


@pytest.fixture
def bystanders(company_a, company_b):
    """A manager of another department, one of another company's engineering and that
    company's customer-relations manager: none of them is told."""
    property_a = Department.objects.create(company=company_a, kind="property", name="物业部")
    works_b = Department.objects.create(company=company_b, kind="engineering", name="工程部")
    return [
        _manager(company_a, property_a, "property_manager", "林经理"),
        _manager(company_b, works_b, "works_manager_b", "周经理"),
        make_staff(Role.MANAGER, company_b, username="manager_b"),
    ]


def _told(user) -> int:
    return Message.objects.filter(recipient=user, template=TEMPLATE).count()


def _dissatisfied(case, by, comment="窗户还是漏水"):
    return services.case_act(
        case=case, action="visit", by=by, verdict=Case.Verdict.DISSATISFIED, reason=comment
    )


def test_the_departments_manager_gets_exactly_one_message(
    crm_a, company_a, engineering, engineer, works_manager, manager_a, bystanders
):
    case = _dissatisfied(awaiting(crm_a, company_a, engineering, engineer), crm_a)
    assert case.status == Case.Status.REOPENED
    message = Message.objects.get(recipient=works_manager, template=TEMPLATE)
    assert message.channel == Channel.INBOX and message.ref == record_ref(case)
    assert case.number in message.body and "窗户还是漏水" in message.body
    assert message.link == f"/complaints/cases/{case.pk}/"
    # the department has a manager: the company's CRM manager is not the fallback here
    assert [_told(user) for user in [manager_a, *bystanders]] == [0, 0, 0, 0]


def test_without_a_department_manager_the_companys_crm_manager_is_told(
    crm_a, company_a, engineering, engineer, manager_a, bystanders
):
    case = _dissatisfied(awaiting(crm_a, company_a, engineering, engineer), crm_a)
    assert _told(manager_a) == 1
    assert [_told(user) for user in bystanders] == [0, 0, 0]
    assert case.status == Case.Status.REOPENED


def test_a_task_sent_to_the_handler_alone_finds_their_department(
    crm_a, company_a, engineering, engineer, works_manager
):
    from .test_life_cycle import later, new_case

    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    assert task.department_id is None
    services.task_act(task=task, action="start", by=engineer)
    services.task_act(task=task, action="finish", by=engineer, reason="已更换密封条")
    case = services.case_act(case=Case.objects.get(pk=case.pk), action="confirm", by=crm_a)
    _dissatisfied(case, crm_a)
    assert _told(works_manager) == 1


def test_satisfied_tells_no_manager(crm_a, company_a, engineering, engineer, works_manager):
    case = services.case_act(
        case=awaiting(crm_a, company_a, engineering, engineer),
        action="visit",
        by=crm_a,
        verdict=Case.Verdict.SATISFIED,
    )
    assert case.status == Case.Status.CLOSED and _told(works_manager) == 0


def test_each_reopen_tells_the_manager_once_and_the_second_goes_to_the_group(
    crm_a, company_a, engineering, engineer, works_manager, group_staff
):
    case = _dissatisfied(awaiting(crm_a, company_a, engineering, engineer), crm_a)
    case = resolve_again(case, crm_a, engineering, engineer, text="第二次处理")
    case = services.case_act(case=case, action="confirm", by=crm_a)
    case = _dissatisfied(case, crm_a, comment="还是不行")
    assert _told(works_manager) == 2
    assert case.escalation == Case.Escalation.GROUP
    assert Message.objects.filter(recipient=group_staff, ref=record_ref(case)).count() == 1


def test_the_owners_link_reopens_to_the_manager_too(
    client, crm_a, company_a, engineering, engineer, works_manager
):
    case = awaiting(crm_a, company_a, engineering, engineer)
    response = client.post(link_of(case), {"verdict": "dissatisfied", "comment": "没修好"})
    assert response.status_code in (200, 302)
    case.refresh_from_db()
    assert case.status == Case.Status.REOPENED and _told(works_manager) == 1


def test_the_case_page_says_whom_the_case_was_reopened_to(
    client, crm_a, company_a, engineering, engineer, works_manager
):
    case = _dissatisfied(awaiting(crm_a, company_a, engineering, engineer), crm_a)
    client.force_login(crm_a, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    assert "重开交由" in html and "王经理（工程部）" in html
    history = html.split('data-testid="case-events"')[1].split("</ul>")[0]
    assert "回访不满意，交由主管跟进" in history and "王经理（工程部）" in history
    assert "reopened_to_manager" not in html


def test_a_company_without_managers_still_reopens_and_says_so(
    client, crm_a, company_a, engineering, engineer
):
    case = _dissatisfied(awaiting(crm_a, company_a, engineering, engineer), crm_a)
    assert case.status == Case.Status.REOPENED
    assert not Message.objects.filter(template=TEMPLATE).exists()
    client.force_login(crm_a, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    assert "本公司没有可交由的主管" in html
