"""The read side of group complaints (群诉): one incident with its complainants, the
cases suggested for linking, the list. Writes are in complaints/services/incidents.py."""

import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from org import company_settings
from org.models import Role

from . import incident_settings
from .models import Case, Incident
from .services.access import access_case_read

SUGGESTIONS = 20
# What a group complaint takes (services/incidents.py LINKABLE, without importing it).
OPEN_WORK = (
    Case.Status.RECEIVED,
    Case.Status.ACCEPTED,
    Case.Status.DISPATCHED,
    Case.Status.IN_PROGRESS,
    Case.Status.REOPENED,
)


def may_write(user, company_id) -> bool:
    return user.scope.has_role(Role.COMPANY_CRM, company_id=company_id)


def incident_list(user):
    """Group complaints the user may read, newest first, with their lead case and the
    number of complainants."""
    return (
        Incident.objects.for_user(user)
        .select_related("company", "project", "building__project", "category", "lead_case")
        .annotate(member_count=Count("cases"))
        .order_by("-created_at", "-pk")
    )


def incident_detail(user, pk) -> Incident:
    incident = get_object_or_404(
        Incident.objects.for_user(user).select_related(
            "company",
            "project",
            "building__project",
            "category__parent",
            "lead_case__assignee",
            "created_by",
        ),
        pk=pk,
    )
    access_case_read(user, incident.company_id)
    return incident


def incident_members(incident):
    """Every complainant's case, the lead first, with owner and unit."""
    return (
        Case.objects.filter(incident=incident)
        .select_related("customer", "unit__building__project")
        .order_by("created_at", "pk")
    )


def incident_of(case):
    """The group complaint a case belongs to (with its lead), or None."""
    if case.incident_id is None:
        return None
    return (
        Incident.objects.select_related("lead_case")
        .annotate(member_count=Count("cases"))
        .get(pk=case.incident_id)
    )


def window_days(company_id) -> int:
    return int(company_settings.effective(company_id, incident_settings.WINDOW_DAYS).value)


def incident_suggestions(incident, *, limit=SUGGESTIONS):
    """Open cases in no group complaint, of the incident's building (or its project when
    the lead names no unit) and of its category or one of the same parent, received
    within the window (the setting `incident_window_days`) of the lead case."""
    lead = incident.lead_case
    days = window_days(incident.company_id)
    around = datetime.timedelta(days=days)
    cases = Case.objects.filter(
        company_id=incident.company_id,
        incident__isnull=True,
        status__in=OPEN_WORK,
        created_at__gte=lead.created_at - around,
        created_at__lte=lead.created_at + around,
    )
    if incident.building_id:
        cases = cases.filter(unit__building_id=incident.building_id)
    elif incident.project_id:
        cases = cases.filter(project_id=incident.project_id)
    else:
        return Case.objects.none()
    category = incident.category
    if category is not None:
        family = category.parent_id or category.pk
        cases = cases.filter(
            Q(category_id=category.pk) | Q(category_id=family) | Q(category__parent_id=family)
        )
    return cases.select_related("customer", "unit", "category").order_by("created_at", "pk")[:limit]
