"""Tasks (派单): dispatch a case to a department, a handler or a contractor with a
deadline; split across trades; transfer; the handler accepts, starts, adds photos,
finishes or sends it back. When a case's last open task is done, the case resolves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from events import bus
from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import message_send
from org.models import Department, Membership, Role
from vanke_crm.errors import InvalidInput
from vanke_crm.images import clean_photo
from vanke_crm.transitions import Transition, Workflow, register, transition

from .. import events
from ..models import Attachment, Case, Task
from .access import access_case_write, access_task_work

T = Task.Status


def _check_assignment(case, *, department, assignee) -> None:
    if department is None and assignee is None:
        raise ValidationError({"department": _("Send the task to a department or a handler.")})
    if department is not None and department.company_id != case.company_id:
        raise InvalidInput(_("The department belongs to another company."), field="department")
    if assignee is not None:
        memberships = Membership.objects.filter(
            user=assignee, company=case.company, role=Role.HANDLER, is_active=True
        )
        if department is not None:
            memberships = memberships.filter(department=department)
        if not memberships.exists():
            raise InvalidInput(
                _("This person is not a handler of this company or department."),
                field="assignee",
            )


def _check_due(due_at) -> None:
    if due_at is None:
        raise ValidationError({"due_at": _("Give the task a deadline.")})
    if due_at <= timezone.now():
        raise ValidationError({"due_at": _("The deadline must be in the future.")})


def _notify_task(task) -> None:
    recipients = []
    if task.assignee_id:
        recipients = [task.assignee]
    elif task.department_id:
        recipients = [
            m.user
            for m in Membership.objects.select_related("user").filter(
                department=task.department, role=Role.HANDLER, is_active=True
            )
        ]
    for user in recipients:
        message_send(
            channel=Channel.INBOX,
            template="complaints.task_dispatched",
            body=_("New task for case %(number)s: %(title)s, due %(due)s")
            % {
                "number": task.case.number,
                "title": task.case.title,
                "due": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M"),
            },
            recipient=user,
            company=task.case.company,
            ref=record_ref(task.case),
            link=f"/complaints/tasks/{task.pk}/",
        )


def _new_task(case, *, by, department, assignee, due_at, trade="", instructions="", parent=None):
    task = Task.objects.create(
        case=case,
        parent=parent,
        department=department,
        assignee=assignee,
        trade=trade,
        instructions=instructions.strip(),
        due_at=due_at,
        created_by=by,
    )
    transaction.on_commit(lambda: _notify_task(task))
    bus.publish(events.TASK_DISPATCHED, by=by, case=case.pk, task=task.pk)
    return task


@transaction.atomic
def case_dispatch(
    *, case, by, due_at, department=None, assignee=None, trade="", instructions=""
) -> Task:
    """Send the case's work to a department or a handler with a deadline; the case
    becomes dispatched (an event with the task's details)."""
    access_case_write(by, case.company_id)
    _check_assignment(case, department=department, assignee=assignee)
    _check_due(due_at)
    case = transition(
        case,
        "dispatch",
        by=by,
        department=str(department) if department else "",
        assignee=assignee.display_name if assignee else "",
        due_at=due_at,
    )
    return _new_task(
        case,
        by=by,
        department=department,
        assignee=assignee,
        due_at=due_at,
        trade=trade,
        instructions=instructions,
    )


@transaction.atomic
def task_split(*, task, by, parts) -> list[Task]:
    """Split a task into sub-tasks, one per trade: `parts` is a list of dicts with
    trade, department, assignee, due_at, instructions. The parent is cancelled."""
    access_case_write(by, task.case.company_id)
    if not parts:
        raise InvalidInput(_("A split needs at least one trade."))
    if any(not part.get("trade") for part in parts):
        raise ValidationError({"trade": _("Give every part of the split its trade.")})
    for part in parts:
        _check_assignment(
            task.case, department=part.get("department"), assignee=part.get("assignee")
        )
        _check_due(part.get("due_at"))
    transition(task, "split", by=by, reason=_("Split into %(n)s trades") % {"n": len(parts)})
    return [
        _new_task(
            task.case,
            by=by,
            parent=task,
            department=part.get("department"),
            assignee=part.get("assignee"),
            due_at=part["due_at"],
            trade=part["trade"],
            instructions=part.get("instructions", ""),
        )
        for part in parts
    ]


@transaction.atomic
def task_transfer(*, task, by, due_at, department=None, assignee=None, reason) -> Task:
    """Give the task to someone else: it is closed as transferred and a new one sent."""
    access_case_write(by, task.case.company_id)
    _check_assignment(task.case, department=department, assignee=assignee)
    _check_due(due_at)
    transition(task, "transfer", by=by, reason=reason)
    return _new_task(
        task.case,
        by=by,
        parent=task.parent,
        department=department,
        assignee=assignee,
        due_at=due_at,
        trade=task.trade,
        instructions=task.instructions,
    )


def task_act(*, task, action, by, reason="", **data) -> Task:
    """A handler's (or CRM staff's) button on a task: accept, start, finish, send back."""
    if action in ("split", "transfer"):
        raise InvalidInput(_("Use the split or transfer form."))
    return transition(task, action, by=by, reason=reason, **data)


@transaction.atomic
def task_photo_add(*, task, by, upload, kind=Attachment.Kind.AFTER) -> Attachment:
    """A photo of the work (checked, re-encoded without EXIF, under a random name)."""
    locked = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    access_task_work(by, locked)
    if locked.status not in Task.OPEN:
        raise InvalidInput(_("Photos are added while the task is open."))
    return Attachment.objects.create(
        case=locked.case, task=locked, kind=kind, file=clean_photo(upload), uploaded_by=by
    )


# --- the task's life cycle ----------------------------------------------------------


def _worker(user, task) -> None:
    access_task_work(user, task)


def _dispatcher(user, task) -> None:
    access_case_write(user, task.case.company_id)


def _accepted(task, data, by):
    task.accepted_at = task.accepted_at or timezone.now()
    if task.assignee_id is None:
        task.assignee = by  # a department's task is taken by the handler who accepts it


def _started(task, event, by):
    case = Case.objects.get(pk=task.case_id)
    if case.status == Case.Status.DISPATCHED:
        transition(case, "start", by=by)


def _finish_guard(task, data, by):
    if task.case.type == Case.Type.REPAIR and not task.attachments.filter(kind="after").exists():
        raise InvalidInput(_("Add a photo of the finished work first."))


def _finish(task, data, by):
    task.resolution = data["reason"]
    task.done_at = timezone.now()


def _finished(task, event, by):
    """The case resolves with the last task done (its note: what each task did)."""
    case = Case.objects.get(pk=task.case_id)
    open_tasks = case.tasks.filter(status__in=Task.OPEN).exists()
    if open_tasks or case.status not in (Case.Status.DISPATCHED, Case.Status.IN_PROGRESS):
        return
    notes = [t.resolution for t in case.tasks.filter(status=T.DONE).order_by("done_at", "pk")]
    transition(case, "resolve", by=by, reason="\n".join(n for n in notes if n))


def _sent_back(task, data, by):
    task.sent_back_reason = data["reason"]


def _tell_dispatcher(task, event):
    if task.created_by_id:
        message_send(
            channel=Channel.INBOX,
            template="complaints.task_sent_back",
            body=_("The task for case %(number)s was sent back: %(reason)s")
            % {"number": task.case.number, "reason": task.sent_back_reason},
            recipient=task.created_by,
            company=task.case.company,
            ref=record_ref(task.case),
            link=f"/complaints/cases/{task.case_id}/",
        )


TASK_WORKFLOW = register(
    Workflow(
        Task,
        [
            Transition(
                "accept",
                (T.SENT,),
                T.ACCEPTED,
                _lazy("Accept"),
                _worker,
                apply=_accepted,
                done=_lazy("You have accepted the task."),
            ),
            Transition(
                "start",
                (T.SENT, T.ACCEPTED),
                T.IN_PROGRESS,
                _lazy("Start"),
                _worker,
                apply=_accepted,
                after=_started,
                done=_lazy("The work has started."),
            ),
            Transition(
                "finish",
                (T.ACCEPTED, T.IN_PROGRESS),
                T.DONE,
                _lazy("Done"),
                _worker,
                requires=("reason",),
                guard=_finish_guard,
                apply=_finish,
                after=_finished,
                done=_lazy("The task is done."),
            ),
            Transition(
                "send_back",
                (T.SENT, T.ACCEPTED, T.IN_PROGRESS),
                T.SENT_BACK,
                _lazy("Send back"),
                _worker,
                requires=("reason",),
                apply=_sent_back,
                on_commit=_tell_dispatcher,
                style="danger",
                done=_lazy("The task is sent back to customer relations."),
            ),
            Transition(
                "transfer",
                (T.SENT, T.ACCEPTED, T.SENT_BACK),
                T.CANCELLED,
                _lazy("Transfer"),
                _dispatcher,
                requires=("reason",),
            ),
            Transition(
                "split",
                (T.SENT, T.ACCEPTED, T.SENT_BACK),
                T.CANCELLED,
                _lazy("Split by trade"),
                _dispatcher,
                requires=("reason",),
            ),
        ],
    )
)


def handlers_of(company):
    """The handlers of a company with their departments, for the dispatch form."""
    return Membership.objects.filter(
        company=company, role=Role.HANDLER, is_active=True
    ).select_related("user", "department")


def departments_of(company):
    return Department.objects.filter(company=company).select_related("company")
