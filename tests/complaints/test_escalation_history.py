"""Escalations in the case history (issue 9): each escalation, by the sweeper, by a
second reopen or by the owner, is a line of the case page's history in Chinese — the
level, who did it (系统 for the sweeper) and why — recorded once however often it is
tried; the owner's own page shows none of these internal lines."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from audit.models import StateEvent
from complaints import services
from complaints.models import Case
from complaints.services import sweep
from customers.timeline import timeline_for

from .test_life_cycle import new_case
from .test_owner_portal import _file, _login, owner, unit_a  # noqa: F401 (fixtures)
from .test_return_visits import awaiting, resolve_again

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _history(client, user, case) -> list[str]:
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    block = html.split('data-testid="case-events"')[1].split("</ul>")[0]
    return [line.split("</li>")[0] for line in block.split("<li>")[1:]]


def _escalations(case) -> list[str]:
    return list(
        StateEvent.objects.filter(object_id=case.pk, action__startswith="escalated_")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_sweepers_escalations_read_as_chinese_lines_by_the_system(
    client, crm_a, company_a, manager_a
):
    received = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT, received_at=received)
    for hour, minute in ((11, 30), (11, 31), (13, 1), (13, 2)):  # each level run twice
        sweep.sla_sweep(now=received.replace(hour=hour, minute=minute))
    assert _escalations(case) == ["escalated_company", "escalated_group"]
    lines = _history(client, crm_a, case)
    company = next(line for line in lines if "已升级至公司" in line)
    group = next(line for line in lines if "已升级至集团" in line)
    assert "· 系统 ·" in company and "工单已超过期限。" in company
    assert "· 系统 ·" in group and "工单超期时间已达到原定时限。" in group
    assert "→" not in company  # an escalation changes no state: no "status → status"
    assert not any("escalated_" in line for line in lines)


def test_a_second_reopen_escalates_once_naming_who_recorded_the_visit(
    client, crm_a, company_a, engineering, engineer, group_staff
):
    case = awaiting(crm_a, company_a, engineering, engineer)
    for round_ in range(2):
        case = services.case_act(case=case, action="visit", by=crm_a, verdict="dissatisfied")
        if round_ == 0:
            case = resolve_again(case, crm_a, engineering, engineer, text="第二次处理")
            case = services.case_act(case=case, action="confirm", by=crm_a)
    assert services.escalate_to_group(case, reason="再来一次") is False
    assert _escalations(case) == ["escalated_group"]
    line = next(line for line in _history(client, crm_a, case) if "已升级至集团" in line)
    assert f"· {crm_a.display_name} ·" in line and "回访后已两次重开。" in line
    # the customer 360 timeline names the step the same way
    texts = [str(entry.title) for entry in timeline_for(case.customer)]
    assert any("已升级至集团" in text for text in texts)
    assert not any("escalated_group" in text for text in texts)


def test_the_owners_escalation_names_the_owner_and_stays_off_the_owners_steps(
    client,
    owner,  # noqa: F811
    unit_a,  # noqa: F811
    crm_a,
    group_staff,
):
    _login(client, owner)
    _file(client, unit_a)
    case = Case.objects.get()
    client.post(f"/complaints/my/{case.pk}/escalate/", {"reason": "物业拖了两周没人来"})
    client.post(f"/complaints/my/{case.pk}/escalate/", {"reason": "再次申请"})
    assert _escalations(case) == ["escalated_group"]
    own_page = client.get(f"/complaints/my/{case.pk}/").content.decode()
    assert "已升级至集团" not in own_page and "escalated_group" not in own_page
    line = next(line for line in _history(client, group_staff, case) if "已升级至集团" in line)
    assert "张业主" in line and "物业拖了两周没人来" in line


def test_the_owner_does_not_see_whom_a_reopened_case_went_to(
    client, crm_a, company_a, engineering, engineer
):
    from complaints.services.visits import REOPENED_TO_MANAGER

    case = awaiting(crm_a, company_a, engineering, engineer)
    services.case_act(case=case, action="visit", by=crm_a, verdict="dissatisfied")
    assert StateEvent.objects.filter(object_id=case.pk, action=REOPENED_TO_MANAGER).exists()
    from complaints.selectors import owner_timeline

    labels = [row["label"] for row in owner_timeline(case)]
    assert labels and REOPENED_TO_MANAGER not in labels
    assert "回访不满意，交由主管跟进" not in labels


def test_a_company_escalation_after_the_groups_keeps_the_groups_reason(crm_a, company_a):
    """An owner escalates to the group, then the case breaches: the banner the group
    staff and the company read keeps the group's reason, the company level is still
    recorded once."""
    case = new_case(crm_a, company_a)
    assert services.escalate_to_group(case, reason="业主不满意公司处理，要求集团介入")
    assert services.escalate_to_company(case, reason="工单已超过期限")
    # the object the caller holds, and the row
    assert case.escalation_reason == "业主不满意公司处理，要求集团介入"
    case.refresh_from_db()
    assert case.escalation == Case.Escalation.GROUP
    assert case.escalation_reason == "业主不满意公司处理，要求集团介入"
    assert case.escalated_company_at is not None
    assert _escalations(case) == ["escalated_group", "escalated_company"]
