"""The read side of the complaints pages: the queue and its saved views, one case with
everything about it, the caller search of the intake, the owner portal; the handler's
tasks are in selectors/handler.py."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.selectors import state_events_for
from customers.models import Customer
from org import company_settings
from org.models import Membership, Role
from vanke_crm.transitions import history_entries

from .. import sla_settings
from ..models import Attachment, Case, CaseNote, Task
from ..services.access import access_case_read
from .handler import first_tasks, task_detail, task_photos  # noqa: F401 (the pages read them here)

S = Case.Status
SEARCH_LIMIT = 10


def can_read_queue(user) -> bool:
    return user.scope.sees_all or user.scope.has_role(Role.COMPANY_CRM, Role.MANAGER)


def can_record_cases(user) -> bool:
    return user.scope.sees_all or user.scope.has_role(Role.COMPANY_CRM)


def intake_companies(user):
    """The companies where the user may record a case."""
    from org.models import Company

    if user.scope.sees_all:
        return Company.objects.all()
    return Company.objects.filter(pk__in=user.scope.companies_with(Role.COMPANY_CRM))


# --- the intake's caller search ------------------------------------------------------


def caller_search(user, text: str):
    """Customers of the user's companies matching a mobile, its last four digits, a
    name, its pinyin or a unit code (the customers app's search)."""
    text = (text or "").strip()
    if len(text) < 2:
        return Customer.objects.none()
    return (
        Customer.objects.for_user(user)
        .active()
        .search(text)
        .select_related("company")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )


def customers_of(user):
    """The customers a case of this user may name (the intake form's choices)."""
    return Customer.objects.for_user(user).active()


def chosen_customer(user, pk):
    return get_object_or_404(Customer.objects.for_user(user).active(), pk=pk)


def open_cases_of(user, customer):
    """The customer's open cases, newest first (to avoid recording a duplicate)."""
    return (
        Case.objects.for_user(user)
        .filter(customer=customer, status__in=Case.OPEN)
        .order_by("-created_at", "-pk")[:20]
    )


# --- the queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class SavedView:
    key: str
    label: str
    open_order: bool = True


VIEWS = (
    SavedView("mine", _("Mine")),
    SavedView("unassigned", _("Unassigned")),
    SavedView("near_breach", _("Near breach")),
    SavedView("breached", _("Breached")),
    SavedView("escalated", _("Escalated")),
    SavedView("awaiting_visit", _("Awaiting return visit")),
    SavedView("incidents", _("Group complaints")),
    SavedView("open", _("All open")),
    SavedView("closed", _("Closed"), open_order=False),
)
VIEW_KEYS = {view.key: view for view in VIEWS}
DEFAULT_VIEW = "open"


def warning_hours(user) -> int:
    """The near-breach window: the largest warning setting of the user's companies."""
    company_ids = (
        list(user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER))
        if not user.scope.sees_all
        else []
    )
    values = [
        company_settings.effective(company_id, sla_settings.WARNING_HOURS).value
        for company_id in company_ids[:5]
    ] or [company_settings.effective(None, sla_settings.WARNING_HOURS).value]
    return max(int(v) for v in values)


def _view_filter(view: str, user, now) -> Q:
    if view == "mine":
        return Q(assignee=user, status__in=Case.OPEN)
    if view == "unassigned":
        return Q(assignee__isnull=True, status__in=Case.OPEN)
    if view == "near_breach":
        soon = now + datetime.timedelta(hours=warning_hours(user))
        return Q(status__in=Case.WORKING, resolve_due_at__gte=now, resolve_due_at__lte=soon)
    if view == "breached":
        return Q(status__in=Case.WORKING, resolve_due_at__lt=now)
    if view == "escalated":
        return Q(escalation__gt=0, status__in=Case.OPEN)
    if view == "awaiting_visit":
        return Q(status=S.AWAITING_VISIT)
    if view == "incidents":  # every open case of a group complaint, lead and members
        return Q(incident__isnull=False, status__in=Case.OPEN)
    if view == "closed":
        return Q(status__in=(S.CLOSED, S.CANCELLED))
    return Q(status__in=Case.OPEN)


def case_queue(user, *, view: str = DEFAULT_VIEW, filters: dict | None = None, now=None):
    """The cases of a saved view with the filters applied: open views by deadline
    (the earliest first), the closed view newest first. Group staff see all companies."""
    if not can_read_queue(user):
        from org.scoping import RoleRequired

        raise RoleRequired(_("Your role does not give access to the case queue."))
    now = now or timezone.now()
    saved = VIEW_KEYS.get(view, VIEW_KEYS[DEFAULT_VIEW])
    cases = Case.objects.for_user(user).filter(_view_filter(saved.key, user, now))
    for key, value in (filters or {}).items():
        if value in (None, "", []):
            continue
        if key == "q":
            text = value.strip()
            cases = cases.filter(
                Q(number__icontains=text)
                | Q(title__icontains=text)
                | Q(caller_name__icontains=text)
                | Q(caller_mobile__contains=text)
                | Q(customer__name__icontains=text)
                | Q(customer__mobile__contains=text)
            )
        elif key == "received_from":
            cases = cases.filter(created_at__date__gte=value)
        elif key == "received_to":
            cases = cases.filter(created_at__date__lte=value)
        elif key == "category":
            cases = cases.filter(Q(category=value) | Q(category__parent=value))
        elif key in (
            "status",
            "type",
            "severity",
            "channel",
            "project",
            "assignee",
            "company",
            "escalation",
        ):
            cases = cases.filter(**{key: value})
    cases = cases.select_related("customer", "project", "assignee", "category", "company")
    if saved.open_order:
        return cases.order_by("resolve_due_at", "pk")
    return cases.order_by("-created_at", "-pk")


def queue_companies(user):
    """The companies the queue may be narrowed to; None (no filter offered) for staff
    of a single company."""
    from org.models import Company

    if user.scope.sees_all:
        return Company.objects.order_by("code")
    ids = user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER)
    if len(ids) < 2:
        return None
    return Company.objects.filter(pk__in=ids).order_by("code")


def crm_colleagues(user):
    """Who a case may be given to: customer-relations staff of the user's companies."""
    memberships = Membership.objects.filter(is_active=True, role=Role.COMPANY_CRM)
    if not user.scope.sees_all:
        memberships = memberships.filter(company__in=user.scope.company_ids)
    from accounts.models import User

    return User.objects.filter(pk__in=memberships.values("user"), is_active=True).order_by(
        "name", "username"
    )


def sla_countdown(case, now=None) -> tuple[str, bool]:
    """("3 h left" | "overdue 2 h", overdue) of an open case's resolution deadline, in
    wall-clock time (the deadline itself is set in working hours)."""
    from django.utils.translation import gettext as _t

    if not case.resolve_due_at or case.status not in Case.WORKING:
        return "", False  # resolved or closed: the deadline no longer runs
    now = now or timezone.now()
    seconds = (case.resolve_due_at - now).total_seconds()
    overdue = seconds < 0
    minutes = int(abs(seconds) // 60)
    if minutes >= 48 * 60:  # past two days, hours stop meaning much
        amount = _t("%(days)d days") % {"days": minutes // (24 * 60)}
    elif minutes >= 60:
        amount = _t("%(hours)d h") % {"hours": minutes // 60}
    else:
        amount = _t("%(minutes)d min") % {"minutes": minutes}
    if overdue:
        return _t("overdue %(amount)s") % {"amount": amount}, True
    return _t("%(amount)s left") % {"amount": amount}, False


# --- one case ------------------------------------------------------------------------


def case_detail(user, pk) -> Case:
    """The case with what its page shows. The people (its owner, who recorded it, its
    tasks' handlers) come in one query of their own, and of its group complaint what
    the page and its buttons read (its number and lead) as subqueries: each join of the
    case's query costs PostgreSQL planning time (the join order search), 3-5 ms with
    ten of them for a query run in 0.2 ms (issue 9, the case page at 1.1M cases)."""
    case = get_object_or_404(
        Case.objects.for_user(user)
        .select_related(
            "company",
            "project",  # a unit's project is the case's (case_create checks it)
            "unit",
            "customer",
            "category__parent",
        )
        .annotate(**{f"_incident_{name}": _of_incident(name) for name in INCIDENT_READ})
        .prefetch_related(Prefetch("tasks", queryset=_case_tasks(people=False))),
        pk=pk,
    )
    access_case_read(user, case.company_id)
    _attach_incident(case)
    _attach_people(case, case.tasks.all())
    return case


def case_page(user, pk) -> Case:
    """The case as its page shows it: the names of its company, project, unit,
    customer, category and people as written-out subqueries (`Case.page_*`), not joins.
    Each subquery is planned on its own in microseconds, where the join order search
    over the case and seven related tables took 3-4 ms of planning on every request
    (issue 9, the case page at 1.1M cases). Of its tasks only what the action buttons
    read (their states and handlers; the page's cached parts read the tasks in full,
    `task_rows`); anything else of a related record is loaded when first read."""
    case = get_object_or_404(
        Case.objects.for_user(user)
        .annotate(**{f"_incident_{name}": _of_incident(name) for name in INCIDENT_READ})
        .annotate(**{f"page_{name}": RawSQL(sql, ()) for name, sql in _page_names().items()})  # noqa: S611 - fixed SQL
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.only(*TASK_STATE))),
        pk=pk,
    )
    access_case_read(user, case.company_id)
    _attach_incident(case)
    return case


# What the case's transitions read of its tasks (the resolve button: any task open; a
# handler's access: whose the tasks are).
TASK_STATE = ("id", "case_id", "parent_id", "status", "assignee_id")


def task_rows(case):
    """The case's tasks in full, in the order sent, with their handlers and departments
    (whatever case_page or case_detail prefetched)."""
    return _case_tasks().filter(case=case)


def _page_names() -> dict:
    """name → SQL of one value of a related record, for `case_page`."""
    from accounts.models import User
    from org.models import Company, Project, Unit

    from ..models import Category

    case = Case._meta.db_table

    def column(model, name, fk):
        table = model._meta.db_table
        return f'SELECT t."{name}" FROM "{table}" t WHERE t."id" = "{case}"."{fk}"'  # noqa: S608

    def person(fk):
        table = User._meta.db_table  # User.display_name: the name, else the username
        return (
            f'SELECT COALESCE(NULLIF(t."name", \'\'), t."username") FROM "{table}" t'  # noqa: S608
            f' WHERE t."id" = "{case}"."{fk}"'
        )

    category = Category._meta.db_table  # Category.__str__: "parent › name"
    return {
        "company": column(Company, "name", "company_id"),
        "project": column(Project, "name", "project_id"),
        "unit": column(Unit, "code", "unit_id"),
        "customer": column(Customer, "name", "customer_id"),
        "category": (
            f'SELECT CASE WHEN p."id" IS NULL THEN c."name"'  # noqa: S608
            f' ELSE p."name" || \' › \' || c."name" END'
            f' FROM "{category}" c LEFT JOIN "{category}" p ON p."id" = c."parent_id"'
            f' WHERE c."id" = "{case}"."category_id"'
        ),
        "assignee": person("assignee_id"),
        "created_by": person("created_by_id"),
    }


# What is read of a case's group complaint on its page (whether the case is handled
# there, the member's resolve rule); any other field is loaded when first read.
INCIDENT_READ = ("number", "lead_case_id")


def _of_incident(column):
    """A column of the case's group complaint, as a subquery written out: Django's
    Subquery costs more to compile (1.4 ms) than the join it replaces costs to plan."""
    from ..models import Incident

    incident, case = Incident._meta.db_table, Case._meta.db_table
    sql = (
        f'SELECT i."{column}" FROM "{incident}" i'  # noqa: S608 - fixed names
        f' WHERE i."id" = "{case}"."incident_id"'
    )
    return RawSQL(sql, ())  # noqa: S611 - nothing from outside


def _attach_incident(case) -> None:
    from ..models import Incident

    if case.incident_id is None:
        return
    known = {"id": case.incident_id}
    known.update({name: getattr(case, f"_incident_{name}") for name in INCIDENT_READ})
    fields = [f.attname for f in Incident._meta.concrete_fields if f.attname in known]
    incident = Incident.from_db(Case.objects.db, fields, [known[name] for name in fields])
    Case.incident.field.set_cached_value(case, incident)


def _attach_people(case, tasks) -> None:
    """Set the users the case and its tasks name from one query, as select_related
    would have (the ids are untouched: the case may be saved afterwards)."""
    from accounts.models import User

    ids = {case.assignee_id, case.created_by_id, *(task.assignee_id for task in tasks)}
    ids.discard(None)
    users = User.objects.in_bulk(ids) if ids else {}
    for obj, field in (
        (case, Case.assignee.field),
        (case, Case.created_by.field),
        *((task, Task.assignee.field) for task in tasks),
    ):
        user_id = getattr(obj, field.attname)
        if user_id is not None:
            field.set_cached_value(obj, users.get(user_id))


def _case_tasks(*, people=True):
    related = ("assignee", "department") if people else ("department",)
    return Task.objects.select_related(*related).order_by("created_at", "pk")


def case_photos(case):
    return Attachment.objects.filter(case=case).select_related("uploaded_by")


def case_notes(case):
    return CaseNote.objects.filter(case=case).select_related("author")


def case_history(case, tasks):
    """The events of the case and its tasks, newest first (history_entries reads
    the events' own columns: neither their actors nor their content types joined)."""
    events = state_events_for(case, also=list(tasks)).select_related(None)
    return history_entries(events[:100])


def reopened_to(case, entries) -> str:
    """Whom a reopened case was handed to after a dissatisfied return visit: the
    managers named by its latest hand-off in `entries` (case_history, newest first)."""
    from ..services.visits import REOPENED_TO_MANAGER

    if case.status != Case.Status.REOPENED:
        return ""
    return next((e.reason for e in entries if e.event == REOPENED_TO_MANAGER), "")


def photo_access(user, name: str):
    """media check for "cases/": staff who may read the photo's case (or task)."""
    from vanke_crm.media import Access

    if not user.is_authenticated:
        return None
    if Attachment.objects.for_user(user).filter(file=name).filter(_readable(user)).exists():
        return Access.PRIVATE
    return None


def _readable(user) -> Q:
    """CRM staff and managers read every photo of their cases; a handler only those of
    the tasks they may see."""
    if user.scope.sees_all:
        return Q()
    supervised = user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER)
    return Q(case__company__in=supervised) | Q(task__in=Task.objects.for_user(user))


# --- the owner portal ----------------------------------------------------------------


def owner_cases(user):
    """The owner's own cases (their customer records' cases), newest first."""
    return (
        Case.objects.filter(customer__user=user)
        .select_related("unit__building__project", "project")
        .order_by("-created_at", "-pk")
    )


def owner_case(user, pk) -> Case:
    """One of the owner's cases; anybody else's is not there (404)."""
    return get_object_or_404(
        owner_cases(user).select_related("company", "customer", "category__parent"), pk=pk
    )


def owner_units(user):
    """The units an owner may file a case for: those of their active ownerships."""
    from customers.models import Ownership
    from org.models import Unit

    return (
        Unit.objects.filter(
            ownerships__customer__user=user,
            ownerships__customer__merged_into__isnull=True,
            ownerships__status__in=Ownership.ACTIVE,
        )
        .select_related("building__project__company")
        .distinct()
        .order_by("building__project__name", "code")
    )


def owner_timeline(case):
    """What the owner sees of a case: its steps (no internal reasons, nor the events
    that change no state: escalations, the manager it was handed to) and the replies
    made to them (public notes), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import StateEvent
    from vanke_crm.transitions import workflow_for

    workflow = workflow_for(Case)
    rows = []
    for event in StateEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        action__in=list(workflow.by_action),
    ).order_by("at", "pk"):
        rule = workflow.by_action.get(event.action)
        rows.append(
            {
                "when": event.at,
                "label": str(rule.label) if rule else event.action,
                "status": workflow.label_of_state(event.to_state),
                "text": "",
            }
        )
    for note in case.notes.filter(is_public=True):
        rows.append({"when": note.created_at, "label": "", "status": "", "text": note.text})
    return sorted(rows, key=lambda row: row["when"])


def open_visit(case):
    return case.return_visits.filter(answered_at__isnull=True).order_by("-round").first()
