"""The case life cycle on the platform's transitions (issue 9): intake → accept →
dispatch → the handler's task → resolved → return visit → closed, with each step an
event naming its actor, and the refusals (wrong role, wrong company, wrong state, a
handler acting on another's task, bad input)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from PIL import Image

from audit.models import StateEvent
from complaints import services
from complaints.models import Case, Category, Task
from notifications.models import Message
from notifications.records import record_ref
from tests.customers.factories import CustomerFactory
from vanke_crm.errors import DomainError, IllegalTransition

pytestmark = pytest.mark.django_db


def photo(name="after.jpg", exif=True) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    if exif:
        info = Image.Exif()
        info[0x010F] = "Secret camera maker"  # Make
        image.save(out, format="JPEG", exif=info)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _leak_category():
    from complaints.defaults import create_defaults

    create_defaults(Category)
    return Category.objects.get(code="quality-leak")


def new_case(crm, company, **extra) -> Case:
    fields = {
        "type": Case.Type.REPAIR,
        "channel": Case.Channel.HOTLINE,
        "title": "卫生间漏水",
        "description": "楼下天花板渗水",
        "customer": CustomerFactory(company=company),
        # The data migration's tree (a transactional test elsewhere may have flushed it).
        "category": _leak_category(),
    }
    fields.update(extra)
    return services.case_create(company=company, by=crm, **fields)


def events_of(obj) -> list:
    return list(
        StateEvent.objects.filter(object_id=obj.pk, content_type__model=type(obj)._meta.model_name)
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def later(hours=48):
    return timezone.now() + datetime.timedelta(hours=hours)


def test_hotline_case_to_closure(crm_a, company_a, engineering, engineer):
    case = new_case(crm_a, company_a)
    assert case.status == Case.Status.RECEIVED
    assert case.number.startswith("SZ") and case.response_due_at and case.resolve_due_at
    assert case.response_due_at < case.resolve_due_at
    case = services.case_act(case=case, action="accept", by=crm_a)
    task = services.case_dispatch(
        case=case, by=crm_a, department=engineering, due_at=later(), instructions="上门查看"
    )
    task = services.task_act(task=task, action="start", by=engineer)
    assert task.assignee == engineer  # a department's task is taken by who starts it
    with pytest.raises(DomainError):  # a repair is finished with a photo of the work
        services.task_act(task=task, action="finish", by=engineer, reason="已修复防水层")
    services.task_photo_add(task=task, by=engineer, upload=photo())
    services.task_act(task=task, action="finish", by=engineer, reason="已修复防水层")
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and "已修复防水层" in case.resolution
    case = services.case_act(case=case, action="confirm", by=crm_a)
    assert case.visit_due_at is not None
    case = services.case_act(case=case, action="visit", by=crm_a, verdict="satisfied")
    assert case.status == Case.Status.CLOSED and case.closed_at
    assert events_of(case) == [
        ("accept", "received", "accepted", "crm_a"),
        ("dispatch", "accepted", "dispatched", "crm_a"),
        ("start", "dispatched", "in_progress", "engineer_a"),
        ("resolve", "in_progress", "resolved", "engineer_a"),
        ("confirm", "resolved", "awaiting_visit", "crm_a"),
        ("visit", "awaiting_visit", "closed", "crm_a"),
    ]
    assert [a for a, *_ in events_of(task)] == ["start", "finish"]


def test_the_photo_is_re_encoded_without_exif_under_a_random_name(
    crm_a, company_a, engineering, engineer
):
    case = new_case(crm_a, company_a)
    task = services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())
    attachment = services.task_photo_add(task=task, by=engineer, upload=photo("我的照片.jpg"))
    assert "我的照片" not in attachment.file.name and attachment.file.name.endswith(".jpg")
    with Image.open(attachment.file) as stored:
        assert not stored.getexif()
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.task_photo_add(task=task, by=engineer, upload=fake)
    assert "photo" in refused.value.message_dict


def test_dissatisfied_reopens_and_a_second_reopen_escalates_once(
    crm_a, company_a, engineering, engineer, group_staff
):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    for round_ in range(2):
        task = services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())
        services.task_act(task=task, action="start", by=engineer)
        services.task_act(task=task, action="finish", by=engineer, reason=f"第{round_ + 1}次处理")
        case = services.case_act(case=Case.objects.get(pk=case.pk), action="confirm", by=crm_a)
        case = services.case_act(case=case, action="visit", by=crm_a, verdict="dissatisfied")
        assert case.status == Case.Status.REOPENED
    case.refresh_from_db()
    assert case.reopen_count == 2 and case.escalation == Case.Escalation.GROUP
    first = case.escalated_group_at
    assert services.escalate_to_group(case, reason="again") is False
    case.refresh_from_db()
    assert case.escalated_group_at == first
    assert Message.objects.filter(recipient=group_staff, ref=record_ref(case)).count() == 1


def test_refusals(crm_a, crm_b, handler_a, company_a, company_b, engineering, engineer):
    case = new_case(crm_a, company_a)
    # another company's staff: the case is not there for them
    with pytest.raises(Http404):
        services.case_act(case=case, action="accept", by=crm_b)
    # a handler may not run the case
    with pytest.raises(PermissionDenied):
        services.case_act(case=case, action="accept", by=handler_a)
    # wrong state
    with pytest.raises(IllegalTransition):
        services.case_act(case=case, action="visit", by=crm_a, verdict="satisfied")
    with pytest.raises(IllegalTransition):
        services.case_act(case=case, action="confirm", by=crm_a)
    # a cancellation needs its reason
    with pytest.raises(ValidationError):
        services.case_act(case=case, action="cancel", by=crm_a)
    # a deadline in the past, nobody to send it to
    with pytest.raises(ValidationError) as refused:
        services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=timezone.now())
    assert "due_at" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.case_dispatch(case=case, by=crm_a, due_at=later())
    # a repair answered at once is refused: it is dispatched and visited
    with pytest.raises(DomainError):
        services.case_act(case=case, action="answer", by=crm_a, reason="已答复")
    # a customer of another company
    with pytest.raises(DomainError):
        new_case(crm_a, company_a, customer=CustomerFactory(company=company_b))
    assert Case.objects.filter(company=company_a).count() == 1


def test_a_handler_cannot_work_another_handlers_task(
    crm_a, company_a, engineering, engineer, other_engineer, django_capture_on_commit_callbacks
):
    case = new_case(crm_a, company_a)
    task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    with pytest.raises(Http404):
        services.task_act(task=task, action="accept", by=other_engineer)
    assert Task.objects.for_user(other_engineer).count() == 0
    assert list(Task.objects.for_user(engineer)) == [task]
    with django_capture_on_commit_callbacks(execute=True):
        services.task_act(task=task, action="send_back", by=engineer, reason="不属于工程部")
    task.refresh_from_db()
    assert task.status == Task.Status.SENT_BACK
    assert Message.objects.filter(recipient=crm_a, body__contains="不属于工程部").exists()


def test_consultation_is_answered_at_once_and_the_unknown_caller_recorded(crm_a, company_a):
    case = services.case_create(
        company=company_a,
        by=crm_a,
        type=Case.Type.CONSULTATION,
        channel=Case.Channel.HOTLINE,
        title="交房时间",
        description="想了解交房时间",
        caller_name="陈先生",
        caller_mobile="13900001111",
    )
    case = services.case_act(case=case, action="answer", by=crm_a, reason="预计12月底交付")
    assert case.status == Case.Status.CLOSED and case.customer is None
    with pytest.raises(ValidationError):
        services.case_create(
            company=company_a,
            by=crm_a,
            type=Case.Type.CONSULTATION,
            channel=Case.Channel.HOTLINE,
            title="无人",
            description="没有联系人",
        )


def test_split_across_trades_resolves_when_every_part_is_done(
    crm_a, company_a, engineering, engineer, other_engineer
):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    task = services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())
    with pytest.raises(DomainError):
        services.task_split(task=task, by=crm_a, parts=[])
    parts = services.task_split(
        task=task,
        by=crm_a,
        parts=[
            {"trade": "waterproofing", "assignee": engineer, "due_at": later()},
            {"trade": "decoration", "assignee": other_engineer, "due_at": later()},
        ],
    )
    services.task_act(task=parts[0], action="start", by=engineer)
    services.task_act(task=parts[0], action="finish", by=engineer, reason="防水重做")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS  # the decoration part is still open
    services.task_act(task=parts[1], action="start", by=other_engineer)
    services.task_act(task=parts[1], action="finish", by=other_engineer, reason="墙面修补")
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert "防水重做" in case.resolution and "墙面修补" in case.resolution


def test_waiting_on_the_owner_stops_the_clock(crm_a, company_a):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    due = case.resolve_due_at
    case = services.case_act(case=case, action="pause", by=crm_a, reason="等业主在家")
    with pytest.raises(DomainError):
        services.case_act(case=case, action="pause", by=crm_a, reason="again")
    # Received three days ago and waiting on the owner ever since: the clock starts
    # again now, so the deadline is as far from now as it was from the receipt.
    from complaints.services import sla
    from org import working_time

    received = case.created_at - datetime.timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(created_at=received, paused_since=received)
    case = services.case_act(case=Case.objects.get(pk=case.pk), action="resume", by=crm_a)
    assert case.paused_since is None and len(case.pauses) == 1
    resume_at = datetime.datetime.fromisoformat(case.pauses[0][1])
    _respond, resolve = sla.hours_for(case)
    unpaused = working_time.add_working_hours(company_a, received, resolve)
    assert case.resolve_due_at == working_time.add_working_hours(company_a, resume_at, resolve)
    assert case.resolve_due_at > unpaused and due is not None


def test_a_manager_or_a_stranger_cannot_resolve_or_start_a_case(
    crm_a, manager_a, company_a, engineering, engineer, other_engineer
):
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    for outsider in (manager_a, other_engineer):
        with pytest.raises(PermissionDenied):
            services.case_act(case=case, action="start", by=outsider)
    case.tasks.update(status="done")
    with pytest.raises(PermissionDenied):
        services.case_act(case=case, action="resolve", by=manager_a, reason="已处理")
    case = services.case_act(case=case, action="resolve", by=crm_a, reason="已处理")
    assert case.status == Case.Status.RESOLVED


def test_the_buttons_offered_follow_the_case(crm_a, company_a, engineering):
    from vanke_crm.transitions import available_actions

    def offered(case):
        return {rule.action for rule in available_actions(Case.objects.get(pk=case.pk), crm_a)}

    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    assert {"accept", "pause", "cancel"} <= offered(case)
    assert not {"resume", "answer"} & offered(case)  # not paused; a complaint is visited
    services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())
    assert "resolve" not in offered(case)  # its task is open
    services.case_act(case=case, action="pause", by=crm_a, reason="等业主")
    assert "resume" in offered(case) and "pause" not in offered(case)


def test_the_countdown_reads_in_days_once_past_two_days(crm_a, company_a):
    from django.utils import translation

    from complaints.selectors import sla_countdown

    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    with translation.override("en"):
        text, overdue = sla_countdown(case, now=case.resolve_due_at + datetime.timedelta(days=9))
        assert overdue and text == "overdue 9 days"
        text, overdue = sla_countdown(case, now=case.resolve_due_at - datetime.timedelta(hours=3))
        assert not overdue and text == "3 h left"
