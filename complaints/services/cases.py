"""Cases: intake from every channel and the life cycle (DOMAIN §3) on the platform's
transitions (vanke_crm.transitions, decision 0015).

received → accepted → dispatched → in progress → resolved → awaiting return visit →
closed; a dissatisfied return visit reopens (twice: the group centre is told);
consultations and praise may be answered at once; duplicates and invalid cases are
cancelled with a reason. Every step is an audit.StateEvent with its actor."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from events import bus
from org.models import Project, Unit
from vanke_crm.errors import InvalidInput
from vanke_crm.transitions import Transition, Workflow, register, transition
from vanke_crm.validation import check_fields

from .. import events
from ..caching import touch_case
from ..models import Case, CaseNote, Category
from . import incidents, sla, visits
from .access import WRITERS, access_case_read, access_case_write
from .escalation import EVENTS as ESCALATION_EVENTS

S = Case.Status
ANSWERABLE = (Case.Type.CONSULTATION, Case.Type.PRAISE, Case.Type.SUGGESTION)
OPEN_TASKS = ("sent", "accepted", "in_progress")


def _writer(user, case) -> None:
    access_case_write(user, case.company_id)


def _writer_or_handler(user, case) -> None:
    """Customer-relations staff, or a handler with a task of this case (the case starts
    with their task and resolves with their last one)."""
    from org.scoping import access_company

    access_company(user, case.company_id)
    if user.scope.has_role(*WRITERS, company_id=case.company_id):
        return
    # case.tasks.all(): the tasks a list prefetched (the API's `actions` of 50 cases).
    if any(task.assignee_id == user.pk for task in case.tasks.all()):
        return
    access_case_write(user, case.company_id)


@transaction.atomic
def case_create(
    *,
    company,
    by,
    type,
    channel,
    title,
    description,
    severity=Case.Severity.NORMAL,
    category=None,
    customer=None,
    unit=None,
    project=None,
    caller_name="",
    caller_mobile="",
    received_at=None,
) -> Case:
    """Record a case as received and set its deadlines. The customer, unit and project
    must belong to `company`; an unknown caller is recorded by name and mobile."""
    if not _owner_files_own(by, channel, customer):
        access_case_write(by, company.pk)
    if customer is not None and customer.company_id != company.pk:
        raise InvalidInput(_("The customer belongs to another company."), field="customer")
    if unit is not None:
        unit = Unit.objects.select_related("building__project").get(pk=unit.pk)
        if unit.building.project.company_id != company.pk:
            raise InvalidInput(_("The unit belongs to another company."), field="unit")
        project = project or unit.building.project
        if project.pk != unit.building.project_id:
            raise InvalidInput(_("The unit is not in this project."), field="unit")
    if project is not None and project.company_id != company.pk:
        raise InvalidInput(_("The project belongs to another company."), field="project")
    if category is not None and not category.is_active:
        raise InvalidInput(_("This category is no longer in use."), field="category")
    if customer is None and not (caller_name.strip() or caller_mobile.strip()):
        raise ValidationError(
            {"caller_name": _("Choose the customer, or give the caller's name or mobile.")}
        )
    received_at = received_at or timezone.now()
    case = Case(
        company=company,
        project=project,
        unit=unit,
        customer=customer,
        caller_name=caller_name.strip(),
        caller_mobile=caller_mobile.strip(),
        type=type,
        channel=channel,
        severity=severity,
        category=category,
        title=title.strip(),
        description=description.strip(),
        created_by=by,
        number=f"new-{timezone.now().timestamp()}",
    )
    check_fields(case)
    sla.set_deadlines(case, start=received_at)
    case.save()
    # The number staff read out on the phone: company, day, then the row's own number.
    case.number = f"{company.code.upper()[:6]}{received_at:%y%m%d}{case.pk:06d}"
    Case.objects.filter(pk=case.pk).update(number=case.number, created_at=received_at)
    case.created_at = received_at
    bus.publish(events.CASE_RECEIVED, by=by, case=case.pk)
    return case


def _owner_files_own(by, channel, customer) -> bool:
    """An owner files a case for themselves in the portal (complaints/services/portal.py
    checks the unit is theirs)."""
    return (
        channel == Case.Channel.PORTAL
        and getattr(by, "is_owner", False)
        and customer is not None
        and customer.user_id == by.pk
    )


# --- the life cycle -----------------------------------------------------------------


def _accept(case, data, by):
    case.responded_at = case.responded_at or timezone.now()
    if case.assignee_id is None:
        case.assignee = by


def _answer_guard(case, data, by):
    if case.type not in ANSWERABLE:
        raise InvalidInput(
            _("Complaints and repair requests are dispatched and visited, not answered at once.")
        )


def _answer(case, data, by):
    now = timezone.now()
    case.resolution = data["reason"]
    case.responded_at = case.responded_at or now
    case.resolved_at = now
    case.closed_at = now


def _resolve_guard(case, data, by):
    incidents.handled_alone(case, data, by)  # a group complaint's member: on its lead
    # all() reads the tasks the case page loaded with the case (no query of its own)
    if any(task.status in ("sent", "accepted", "in_progress") for task in case.tasks.all()):
        raise InvalidInput(_("The case still has open tasks."))
    if case.type == Case.Type.REPAIR and not case.attachments.filter(kind="after").exists():
        raise InvalidInput(_("A repair is resolved with a photo of the finished work."))


def _resolve(case, data, by):
    case.resolution = data["reason"]
    case.resolved_at = timezone.now()
    incidents.resolve_members(case, data, by)  # a group complaint's lead: its members too


def _resolved(case, event):
    bus.publish(events.CASE_RESOLVED, by=event.actor, case=case.pk)


def _confirm(case, data, by):
    case.visit_due_at = sla.visit_due(case, start=timezone.now())
    incidents.confirm_members(case, data, by)  # a group complaint's lead: its members too


def _visit_target(case, data) -> str:
    return S.REOPENED if data.get("verdict") == Case.Verdict.DISSATISFIED else S.CLOSED


def _visit_guard(case, data, by):
    if data.get("verdict") not in Case.Verdict.values:
        raise ValidationError({"verdict": _("Choose the owner's verdict.")})


def _visit(case, data, by):
    now = timezone.now()
    case.visit_verdict = data["verdict"]
    case.visit_comment = data.get("reason", "")
    case.visited_at = now
    visits.round_answer(case, data, by)  # the round answered, whoever answered it
    if data["verdict"] == Case.Verdict.DISSATISFIED:
        case.reopen_count += 1
        case.closed_at = None
        sla.restart_resolution(case, start=now)
    else:
        case.closed_at = now


def _visited(case, event, by):
    if case.status != S.REOPENED:
        return
    visits.reopen_to_manager(case, by=by)
    if case.reopen_count >= 2:
        escalate_to_group(case, reason=_("Reopened twice after return visits."), by=by)


def _after_visit(case, event):
    name = events.CASE_REOPENED if case.status == S.REOPENED else events.CASE_CLOSED
    bus.publish(name, by=event.actor, case=case.pk)


def _cancel(case, data, by):
    case.closed_at = timezone.now()
    case.tasks.filter(status__in=("sent", "accepted", "in_progress")).update(status="cancelled")
    touch_case(case.pk)  # the UPDATE sends no signal (the case's save follows, too)


def _reopen(case, data, by):
    case.reopen_count += 1
    case.closed_at = None
    sla.restart_resolution(case, start=timezone.now())


def _pause(case, data, by):
    case.paused_since = timezone.now()


def _resume(case, data, by):
    now = timezone.now()
    case.pauses = [*case.pauses, [case.paused_since.isoformat(), now.isoformat()]]
    case.paused_since = None
    # The deadlines move on by the time the clock stood still (a reopened case's
    # resolution deadline from its reopening; it was answered long before).
    if case.clock_from is not None:
        sla.restart_resolution(case, start=case.clock_from)
    else:
        sla.set_deadlines(case, start=case.created_at)


def _pause_guard(case, data, by):
    if case.paused_since is not None:
        raise InvalidInput(_("The case is already waiting on the owner."))


def _resume_guard(case, data, by):
    if case.paused_since is None:
        raise InvalidInput(_("The case is not waiting on the owner."))


def _same(case, data) -> str:
    return case.status


OPEN_WORK = (S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.REOPENED)

WORKFLOW = register(
    Workflow(
        Case,
        events={
            visits.REOPENED_TO_MANAGER: _lazy("Reopened to the handler's manager"),
            ESCALATION_EVENTS[Case.Escalation.COMPANY]: _lazy("Escalated to the company"),
            ESCALATION_EVENTS[Case.Escalation.GROUP]: _lazy("Escalated to the group"),
        },
        transitions=[
            Transition(
                "accept",
                (S.RECEIVED,),
                S.ACCEPTED,
                _lazy("Accept"),
                _writer,
                apply=_accept,
                done=_lazy("The case is accepted."),
            ),
            Transition(
                "answer",
                (S.RECEIVED, S.ACCEPTED),
                S.CLOSED,
                _lazy("Answer and close"),
                _writer,
                requires=("reason",),
                guard=_answer_guard,
                apply=_answer,
                on_commit=lambda case, event: bus.publish(
                    events.CASE_CLOSED, by=event.actor, case=case.pk
                ),
                offered=lambda case: case.type in ANSWERABLE,
                done=_lazy("The answer is recorded and the case closed."),
            ),
            Transition(
                "dispatch",
                (S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.REOPENED),
                lambda case, data: S.IN_PROGRESS if case.status == S.IN_PROGRESS else S.DISPATCHED,
                _lazy("Dispatch"),
                _writer,
                guard=incidents.handled_alone,
                apply=_accept,
                done=_lazy("The task is sent."),
            ),
            Transition(
                "start",
                (S.DISPATCHED,),
                S.IN_PROGRESS,
                _lazy("Start the work"),
                _writer_or_handler,  # run by the task's own start
            ),
            Transition(
                "resolve",
                (S.DISPATCHED, S.IN_PROGRESS),
                S.RESOLVED,
                _lazy("Resolve"),
                _writer_or_handler,  # run when the last task is done, or by staff
                requires=("reason",),
                guard=_resolve_guard,
                apply=_resolve,
                on_commit=_resolved,
                done=_lazy("The case is resolved."),
                offered=lambda case: (
                    incidents.handled_here(case)
                    and not any(task.status in OPEN_TASKS for task in case.tasks.all())
                ),
            ),
            Transition(
                "resolve_with_incident",  # a group complaint's member, with its lead
                incidents.LINKABLE,
                S.RESOLVED,
                _lazy("Resolved with the group complaint"),
                incidents.member_access,
                requires=("reason",),
                guard=incidents.member_resolve_guard,
                apply=incidents.member_resolve,
                on_commit=_resolved,
                offered=lambda case: False,
            ),
            Transition(
                "confirm",
                (S.RESOLVED,),
                S.AWAITING_VISIT,
                _lazy("Confirm the resolution"),
                _writer,
                guard=incidents.handled_alone,
                apply=_confirm,
                offered=incidents.handled_here,
                after=visits.round_open,  # the round and the owner's SMS link
                done=_lazy("The resolution is confirmed; the return visit is due."),
            ),
            Transition(
                "visit",
                (S.AWAITING_VISIT,),
                _visit_target,
                _lazy("Record the return visit"),
                visits.visit_access,  # staff, the owner in the portal, or the signed link
                requires=("verdict",),
                guard=_visit_guard,
                apply=_visit,
                after=_visited,
                on_commit=_after_visit,
                recorded=("verdict", "via"),
                done=_lazy("The return visit is recorded."),
            ),
            Transition(
                "reopen",
                (S.CLOSED,),
                S.REOPENED,
                _lazy("Reopen"),
                _writer,
                requires=("reason",),
                apply=_reopen,
                done=_lazy("The case is reopened."),
            ),
            Transition(
                "cancel",
                (S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.REOPENED),
                S.CANCELLED,
                _lazy("Cancel (duplicate or invalid)"),
                _writer,
                requires=("reason",),
                guard=incidents.cancel_guard,  # not a lead with open members
                apply=_cancel,
                # a query only for a case in a group complaint (the case page's budget)
                offered=lambda case: not incidents.open_members(case),
                style="danger",
                done=_lazy("The case is cancelled."),
            ),
            Transition(
                "pause",
                OPEN_WORK,
                _same,
                _lazy("Wait on the owner"),
                _writer,
                requires=("reason",),
                guard=_pause_guard,
                apply=_pause,
                done=_lazy("The clock stops until the owner answers."),
                offered=lambda case: case.paused_since is None,
            ),
            Transition(
                "resume",
                OPEN_WORK,
                _same,
                _lazy("The owner answered"),
                _writer,
                guard=_resume_guard,
                apply=_resume,
                done=_lazy("The clock runs again."),
                offered=lambda case: case.paused_since is not None,
            ),
        ],
    )
)


def case_act(*, case, action, by, reason="", **data) -> Case:
    """Run a case action from a page or the API (dispatch has its own service)."""
    if action == "dispatch":
        raise InvalidInput(_("Dispatch a case with its task form."))
    return transition(case, action, by=by, reason=reason, **data)


# --- escalation ---------------------------------------------------------------------


def escalate_to_company(case, *, reason, by=None) -> bool:
    """Tell the company's CRM managers, once: False when it was done before."""
    from .escalation import escalate

    return bool(escalate([case], level=Case.Escalation.COMPANY, reason=reason, by=by))


def escalate_to_group(case, *, reason, by=None) -> bool:
    """Put the case in the group centre's queue, once: False when it was done before."""
    from .escalation import escalate

    return bool(escalate([case], level=Case.Escalation.GROUP, reason=reason, by=by))


def category_tree():
    """Active categories with their parents, for the intake form."""
    return Category.objects.filter(is_active=True).select_related("parent")


def projects_of(company):
    return Project.objects.filter(company=company)


@transaction.atomic
def case_assign(*, cases, assignee, by) -> int:
    """Give open cases to a customer-relations colleague of their company (the queue's
    bulk assign); each change is a history row naming `by`. Returns how many changed."""
    from org.models import Membership, Role

    ids = [case.pk for case in cases]
    if not ids:
        raise ValidationError({"cases": _("Tick the cases to assign.")})
    locked = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    changed = 0
    for case in locked:
        access_case_write(by, case.company_id)
        if case.status not in Case.OPEN:
            raise InvalidInput(
                _("Case %(number)s is no longer open.") % {"number": case.number}, field="cases"
            )
        colleague = assignee.is_active and (
            assignee.is_superuser
            or Membership.objects.filter(
                user=assignee,
                is_active=True,
                role__in=(Role.COMPANY_CRM, Role.GROUP_CRM),
            )
            .filter(Q(company_id=case.company_id) | Q(role=Role.GROUP_CRM))
            .exists()
        )
        if not colleague:
            raise InvalidInput(
                _("%(name)s is not customer-relations staff of case %(number)s's company.")
                % {"name": assignee.display_name, "number": case.number},
                field="assignee",
            )
        if case.assignee_id != assignee.pk:
            case.assignee = assignee
            case.save(update_fields=["assignee", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def case_note_add(*, case, by, text, is_public=False) -> CaseNote:
    """An internal note on a case (customer-relations staff and managers who read it)."""
    access_case_read(by, case.company_id)
    note = CaseNote(case=case, author=by, text=(text or "").strip(), is_public=is_public)
    if not note.text:
        raise ValidationError({"text": _("Write the note.")})
    check_fields(note)
    note.save()
    return note
