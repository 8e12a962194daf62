"""Counts of open work: the group's supervision page (per company, one GROUP BY
query), the company CRM staff's workbench panels (待处理投诉, 待回访) and the
handler's tasks on their home. Each count uses the queue's own saved-view filter, so
the number and the list it links to always agree."""

import datetime

from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from org.models import Company, Role

from .models import Case
from .selectors import _view_filter, first_tasks

S = Case.Status
HOME_TASKS = 10


def can_supervise(user) -> bool:
    """The group's centre, and managers for their own companies."""
    return user.scope.sees_all or user.scope.has_role(Role.MANAGER)


def supervision_rows(user, now=None):
    """One row per company the user supervises, with its open, overdue (past the
    resolution deadline), escalated-to-company and escalated-to-group cases: one query,
    the open cases joined and counted per company."""
    now = now or timezone.now()
    companies = Company.objects.all()
    if not user.scope.sees_all:
        companies = companies.filter(pk__in=user.scope.companies_with(Role.MANAGER))
    companies = companies.annotate(
        live=FilteredRelation("cases", condition=Q(cases__status__in=Case.OPEN))
    )
    return (
        companies.annotate(
            open_count=Count("live"),
            overdue_count=Count(
                "live",
                filter=Q(live__status__in=Case.WORKING, live__resolve_due_at__lt=now),
            ),
            company_count=Count("live", filter=Q(live__escalation=Case.Escalation.COMPANY)),
            group_count=Count("live", filter=Q(live__escalation=Case.Escalation.GROUP)),
        )
        .order_by("-overdue_count", "code")
        .values("pk", "name", "code", "open_count", "overdue_count", "company_count", "group_count")
    )


def supervision_totals(rows) -> dict:
    keys = ("open_count", "overdue_count", "company_count", "group_count")
    return {key: sum(row[key] for row in rows) for key in keys}


# --- the company CRM staff's workbench ----------------------------------------------

WORKBENCH_VIEWS = ("mine", "unassigned", "near_breach", "breached", "awaiting_visit")


def workbench_counts(user, now=None) -> dict:
    """The user's open cases and unassigned ones, near breach, breached, awaiting a
    return visit (all, due by the end of today, overdue): one query over the cases of
    the user's companies, each count the filter of the queue's saved view."""
    now = now or timezone.now()
    end_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time.max)
    )
    counts = {key: Count("pk", filter=_view_filter(key, user, now)) for key in WORKBENCH_VIEWS}
    visiting = Q(status=S.AWAITING_VISIT)
    counts["visit_today"] = Count(
        "pk", filter=visiting & Q(visit_due_at__gte=now, visit_due_at__lte=end_of_today)
    )
    counts["visit_overdue"] = Count("pk", filter=visiting & Q(visit_due_at__lt=now))
    return Case.objects.for_user(user).filter(status__in=Case.OPEN).aggregate(**counts)


def workbench_panel(request):
    """org.panels: the complaints panels of the company CRM staff's workbench."""
    user = request.user
    if not user.scope.has_role(Role.COMPANY_CRM):
        return None
    counts = workbench_counts(user)
    counts["pending"] = counts["mine"] + counts["unassigned"]
    return "complaints/partials/workbench.html", counts


def my_tasks_panel(request):
    """org.panels: a handler's open tasks on their home (the first few, by deadline)."""
    user = request.user
    if Role.HANDLER not in user.scope.roles:
        return None
    tasks = first_tasks(user, limit=HOME_TASKS + 1)
    return "complaints/partials/home_tasks.html", {
        "tasks": tasks[:HOME_TASKS],
        "more": len(tasks) > HOME_TASKS,
        "now": timezone.now(),
    }
