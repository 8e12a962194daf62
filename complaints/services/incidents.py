"""Group complaints (群诉, DOMAIN §3): one cause, many owners, handled once.

An incident is made from a case, its lead: the case where the work happens (tasks are
dispatched there), its severity becomes "group complaint". Further open cases of the
same company are linked to it; each complainant keeps their own case. A member is not
dispatched, resolved or confirmed on its own: when the lead is resolved, every open
member is resolved with the same resolution, and when the lead's resolution is
confirmed every member is confirmed, each through the case's own transitions (an event
on each case page naming who acted), so each owner gets their own return visit.

Used from the case workflow (complaints/services/cases.py): `handled_alone` guards the
member's own dispatch, resolve and confirm; `resolve_members` and `confirm_members` run
inside the lead's transition, so the lead and its members change together or not at
all. This module never imports cases.py (which imports it)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import bus
from vanke_crm.errors import IllegalTransition, InvalidInput
from vanke_crm.transitions import transition
from vanke_crm.validation import check_fields

from .. import events
from ..models import Case, Incident, Task
from . import sla
from .access import access_case_write

S = Case.Status
# Cases still being worked on: a group complaint takes those, and resolves them.
LINKABLE = (S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.REOPENED)


def _refuse_unlinkable(case, *, field=None) -> None:
    if case.status not in LINKABLE:
        raise InvalidInput(
            _("Case %(number)s is %(status)s: only open cases not yet resolved are linked.")
            % {"number": case.number, "status": case.get_status_display()},
            field=field,
        )
    if case.incident_id is not None:
        raise InvalidInput(
            _("Case %(number)s already belongs to group complaint %(incident)s.")
            % {"number": case.number, "incident": case.incident.number},
            field=field,
        )


@transaction.atomic
def incident_create(*, case, by, title="", description="") -> Incident:
    """Make a group complaint with `case` as its lead (customer-relations staff of the
    case's company). The lead must be open, not yet resolved and not in another group
    complaint; its severity becomes "group complaint" and its deadlines follow."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit__building", "company")
        .get(pk=case.pk)
    )
    access_case_write(by, case.company_id)
    _refuse_unlinkable(case)
    incident = Incident(
        company=case.company,
        project_id=case.project_id,
        building=case.unit.building if case.unit_id else None,
        category_id=case.category_id,
        title=(title or case.title).strip(),
        description=(description or case.description).strip(),
        lead_case=case,
        created_by=by,
        number=f"new-{timezone.now().timestamp()}",
    )
    check_fields(incident)
    incident.save()
    incident.number = (
        f"QS{case.company.code.upper()[:6]}{timezone.localdate():%y%m%d}{incident.pk:04d}"
    )
    Incident.objects.filter(pk=incident.pk).update(number=incident.number)
    case.incident = incident
    if case.severity != Case.Severity.GROUP:
        case.severity = Case.Severity.GROUP
        sla.set_deadlines(case, start=case.created_at)  # a group complaint's service level
    case.save()
    bus.publish(events.INCIDENT_CREATED, by=by, incident=incident.pk, case=case.pk)
    return incident


@transaction.atomic
def incident_link(*, incident, case, by) -> Case:
    """Link another complainant's case: same company, open and not yet resolved, in no
    other group complaint, with no task of its own still open (the work is the lead's);
    the group complaint itself must not be resolved yet."""
    if incident is None:
        raise InvalidInput(_("This case is in no group complaint: make one from it first."))
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("lead_case")
        .get(pk=incident.pk)
    )
    access_case_write(by, incident.company_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("incident").get(pk=case.pk)
    if case.company_id != incident.company_id:
        raise InvalidInput(_("The case belongs to another company."), field="case")
    if incident.lead_case.status not in LINKABLE:
        raise InvalidInput(
            _("Group complaint %(number)s is already resolved: handle this case on its own.")
            % {"number": incident.number},
            field="case",
        )
    _refuse_unlinkable(case, field="case")
    if case.tasks.filter(status__in=Task.OPEN).exists():
        raise InvalidInput(
            _(
                "Case %(number)s has tasks still open: finish or transfer them before "
                "linking it, the work is done on the lead case."
            )
            % {"number": case.number},
            field="case",
        )
    case.incident = incident
    case.save()
    bus.publish(events.INCIDENT_LINKED, by=by, incident=incident.pk, case=case.pk)
    return case


@transaction.atomic
def incident_unlink(*, incident, case, by) -> Case:
    """Take a member's case out of the group complaint (it is then handled on its own).
    The lead case stays: it is where the group complaint's work is."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    access_case_write(by, incident.company_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.incident_id != incident.pk:
        raise InvalidInput(
            _("Case %(number)s is not part of group complaint %(incident)s.")
            % {"number": case.number, "incident": incident.number},
            field="case",
        )
    if case.pk == incident.lead_case_id:
        raise InvalidInput(
            _("The lead case is where the group complaint is handled: it cannot be unlinked."),
            field="case",
        )
    case.incident = None
    case.save()
    bus.publish(events.INCIDENT_UNLINKED, by=by, incident=incident.pk, case=case.pk)
    return case


def handled_here(case) -> bool:
    """Whether the case's own dispatch, resolve and confirm are offered: not for a
    group complaint's member, whose work is done on its lead (see `handled_alone`)."""
    return case.incident_id is None or case.incident.lead_case_id == case.pk


def open_members(case) -> int:
    """How many other owners' open cases hang on `case` as a group complaint's lead
    (0 for a case that leads none)."""
    if case.incident_id is None or case.incident.lead_case_id != case.pk:
        return 0
    return (
        Case.objects.filter(incident_id=case.incident_id)
        .exclude(pk=case.pk)
        .filter(status__in=LINKABLE)
        .count()
    )


def cancel_guard(case, data, by) -> None:
    """A group complaint's lead is not cancelled while other owners' open cases are
    linked to it: their work is done on the lead, so cancelling it would leave them
    with nobody working on them. Unlink them first (each is then handled alone)."""
    if open_members(case):
        raise InvalidInput(
            _(
                "Case %(number)s leads a group complaint that still has other owners' "
                "open cases: unlink them on the group complaint's page before cancelling "
                "the lead."
            )
            % {"number": case.number}
        )


# --- the lead's transitions carry the members (complaints/services/cases.py) -----------


def handled_alone(case, data, by) -> None:
    """Guard of a member's own dispatch, resolve and confirm: the group complaint's work
    is done on its lead case. The lead's own fan-out passes the incident's number."""
    if case.incident_id is None:
        return
    incident = Incident.objects.only("pk", "number", "lead_case_id").get(pk=case.incident_id)
    if incident.lead_case_id == case.pk or data.get("incident") == incident.number:
        return
    raise IllegalTransition(
        _(
            "This case is handled under group complaint %(number)s: dispatch, resolve and "
            "confirm it on the lead case."
        )
        % {"number": incident.number}
    )


def _members(lead, statuses):
    if lead.incident_id is None:
        return None, []
    incident = Incident.objects.select_for_update().get(pk=lead.incident_id)
    if incident.lead_case_id != lead.pk:
        return None, []
    members = (
        Case.objects.filter(incident=incident, status__in=statuses)
        .exclude(pk=lead.pk)
        .order_by("pk")
    )
    return incident, list(members)


def resolve_members(lead, data, by) -> None:
    """The lead is being resolved: every open member is resolved with the same
    resolution (the action "resolve_with_incident" on each, naming `by`)."""
    incident, members = _members(lead, LINKABLE)
    if incident is None:
        return
    for member in members:
        transition(
            member,
            "resolve_with_incident",
            by=by,
            reason=data["reason"],
            incident=incident.number,
        )
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolved_at", "updated_at"])


def confirm_members(lead, data, by) -> None:
    """The lead's resolution is being confirmed: so is each resolved member's, which
    opens each complainant's own return visit."""
    incident, members = _members(lead, (S.RESOLVED,))
    for member in members:
        transition(member, "confirm", by=by, incident=incident.number)


# The rule of "resolve_with_incident", the member's row of the case workflow.


def member_access(user, case) -> None:
    """Who resolves the lead resolves its members: customer-relations staff, or the
    handler whose task on the lead case was the last one done."""
    from org.scoping import access_company

    access_company(user, case.company_id)
    incident = case.incident
    if incident is not None and incident.lead_case.tasks.filter(assignee=user).exists():
        return
    access_case_write(user, case.company_id)


def member_resolve_guard(case, data, by) -> None:
    if case.incident_id is None or data.get("incident") != case.incident.number:
        raise IllegalTransition(_("Only a group complaint's member is resolved with its lead."))
    if case.pk == case.incident.lead_case_id:
        raise IllegalTransition(_("The lead case is resolved on its own."))


def member_resolve(case, data, by) -> None:
    now = timezone.now()
    case.resolution = data["reason"]
    case.responded_at = case.responded_at or now
    case.resolved_at = now
