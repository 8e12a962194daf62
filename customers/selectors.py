"""Read side of the customers app: shaped, scoped querysets for pages and the API."""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from org.models import Project
from org.scoping import RoleRequired, access_company

from .models import (
    CUSTOMER_READERS,
    Customer,
    LifecycleStep,
    Ownership,
    Visit,
    WorkPoint,
    WorkPointCheck,
)

READERS = CUSTOMER_READERS  # declared on the models (scope_read_roles)


def access_customer_read(user, company_id) -> None:
    access_company(user, company_id)
    if not user.scope.has_role(*READERS, company_id=company_id):
        raise RoleRequired(_("Your role does not give access to customer records."))


def can_read_customers(user) -> bool:
    return user.is_authenticated and user.scope.has_role(*READERS)


def active_ownerships():
    return Ownership.objects.filter(status__in=Ownership.ACTIVE).select_related(
        "unit__building__project"
    )


LIST_COLUMNS = ("name", "mobile", "mobile_tail", "kind", "step", "company__name", "created_at")


def require_customer_reader(user) -> None:
    if not can_read_customers(user):
        raise RoleRequired(_("Your role does not give access to customer records."))


def list_projects(user):
    """The project menu of the customer list: the projects the user may read."""
    return Project.objects.for_user(user).select_related("company")


def customer_list(user):
    """The staff list: only the columns its rows show, in the order of its index. A
    page's units come from `attach_units` (one more query for all 50 rows)."""
    require_customer_reader(user)
    return (
        Customer.objects.for_user(user)
        .active()
        .select_related("company")
        .only(*LIST_COLUMNS)
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class UnitLabel:
    project: str
    code: str


def attach_units(customers) -> list:
    """Set `.units` on each customer of a page: its active ownerships as (project,
    unit code), newest first, read in one query without building model objects."""
    customers = list(customers)
    units: dict = {}
    rows = (
        Ownership.objects.filter(
            customer__in=[c.pk for c in customers], status__in=Ownership.ACTIVE
        )
        .order_by("-subscribed_on", "-pk")
        .values_list("customer_id", "unit__building__project__name", "unit__code")
    )
    for customer_id, project, code in rows:
        units.setdefault(customer_id, []).append(UnitLabel(project, code))
    for customer in customers:
        customer.units = units.get(customer.pk, [])
    return customers


def customer_detail(user, pk) -> Customer:
    """The customer 360 record, with everything the page shows prefetched. A merged
    record is returned as is: the view redirects to its survivor."""
    customer = (
        Customer.objects.for_user(user)
        .select_related("company", "merged_into", "user")
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=Ownership.objects.select_related("unit__building__project").order_by(
                    "-subscribed_on", "-pk"
                ),
            ),
            Prefetch("visits", queryset=Visit.objects.select_related("project")),
            "tags",
        )
        .filter(pk=pk)
        .first()
    )
    if customer is None:
        from org.scoping import OutOfScope

        raise OutOfScope()
    access_customer_read(user, customer.company_id)
    return customer


def checklist(customer, step=None):
    """Work points of the step with who/when ticked them for this customer (one query)."""
    checks = WorkPointCheck.objects.filter(customer=customer, work_point=OuterRef("pk"))
    return (
        WorkPoint.objects.filter(
            Q(company__isnull=True) | Q(company=customer.company_id),
            step=step or customer.step,
            is_active=True,
        )
        .annotate(
            done_at=Subquery(checks.values("done_at")[:1]),
            done_by_name=Subquery(checks.values("done_by__name")[:1]),
            done_by_username=Subquery(checks.values("done_by__username")[:1]),
        )
        .order_by("order", "pk")
    )


def duplicate_pairs(user, limit=200):
    """Likely duplicates in the user's scope, one entry per pair of records however many
    rules match it, with every reason: same mobile, same ID number, similar names
    (same pinyin) holding the same unit. "Same ID number" only for staff who may reveal
    ID numbers: for anyone else a pair would confirm a guessed number typed into a new
    record. Each entry: {"first", "second" (customers, lower number first), "reasons"}."""
    from .services.access import can_reveal_id_numbers

    base = Customer.objects.for_user(user).active()
    groups = []
    rules = [("mobile", _("Same mobile"))]
    if can_reveal_id_numbers(user):
        rules.append(("id_number", _("Same ID number")))
    for field, label in rules:
        values = (
            base.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(field, flat=True)[:limit]
        )
        rows = base.filter(**{f"{field}__in": list(values)}).select_related("company")
        by_value: dict = {}
        for customer in rows:
            by_value.setdefault(getattr(customer, field), []).append(customer)
        groups += [(label, members) for members in by_value.values() if len(members) > 1]
    shared = (
        Ownership.objects.filter(status__in=Ownership.ACTIVE, customer__in=base)
        .values("unit")
        .annotate(n=Count("customer", distinct=True))
        .filter(n__gt=1)
        .values_list("unit", flat=True)[:limit]
    )
    same_unit = (
        Ownership.objects.filter(
            status__in=Ownership.ACTIVE, unit__in=list(shared), customer__in=base
        )
        .select_related("customer__company", "unit")
        .order_by("unit", "customer")
    )
    by_unit: dict = {}
    for o in same_unit:
        by_unit.setdefault((o.unit_id, o.customer.name_pinyin), {})[o.customer.pk] = o.customer
    groups += [
        (_("Similar name at the same unit"), list(members.values()))
        for members in by_unit.values()
        if len(members) > 1
    ]
    pairs: dict = {}
    for label, members in groups:
        members = sorted(members, key=lambda c: c.pk)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = pairs.setdefault(
                    (first.pk, second.pk), {"first": first, "second": second, "reasons": []}
                )
                if label not in pair["reasons"]:
                    pair["reasons"].append(label)
    return [pairs[key] for key in sorted(pairs)]


def duplicates_of(user, customer, limit=20) -> list:
    """The likely duplicates of one customer (the merge page offers them)."""
    found = []
    for pair in duplicate_pairs(user):
        if pair["first"].pk == customer.pk:
            found.append((pair["second"], pair["reasons"]))
        elif pair["second"].pk == customer.pk:
            found.append((pair["first"], pair["reasons"]))
    return found[:limit]


def lifecycle_overview(user, company_ids=None):
    """Per project and step: customers at the step and work points done/expected —
    the paperwork the quarterly 6+2 audit checks. Four grouped queries in all.
    Owners count at the project of their unit, visitors (step 1) where they visited."""
    projects = list(Project.objects.for_user(user, roles=READERS).select_related("company"))
    if company_ids:
        projects = [p for p in projects if p.company_id in company_ids]
    active = Customer.objects.active()
    owner_path = "ownerships__unit__building__project"
    visit_path = "visits__project"
    counts: dict = {}
    done: dict = {}

    def add(target, rows, project_key, step_key):
        for r in rows:
            key = (r[project_key], r[step_key])
            target[key] = target.get(key, 0) + r["n"]

    add(
        counts,
        active.exclude(step=LifecycleStep.VIEWING)
        .filter(**{f"{owner_path}__in": projects, "ownerships__status__in": Ownership.ACTIVE})
        .values(owner_path, "step")
        .annotate(n=Count("pk", distinct=True)),
        owner_path,
        "step",
    )
    add(
        counts,
        active.filter(step=LifecycleStep.VIEWING, **{f"{visit_path}__in": projects})
        .values(visit_path, "step")
        .annotate(n=Count("pk", distinct=True)),
        visit_path,
        "step",
    )
    checks = WorkPointCheck.objects.filter(
        customer__merged_into__isnull=True, customer__step=F("work_point__step")
    )
    add(
        done,
        checks.exclude(customer__step=LifecycleStep.VIEWING)
        .filter(**{f"customer__{owner_path}__in": projects})
        .values(f"customer__{owner_path}", "work_point__step")
        .annotate(n=Count("pk", distinct=True)),
        f"customer__{owner_path}",
        "work_point__step",
    )
    add(
        done,
        checks.filter(
            customer__step=LifecycleStep.VIEWING, **{f"customer__{visit_path}__in": projects}
        )
        .values(f"customer__{visit_path}", "work_point__step")
        .annotate(n=Count("pk", distinct=True)),
        f"customer__{visit_path}",
        "work_point__step",
    )
    # Expected paperwork: the group's defaults plus the company's own active points.
    points_per_step: dict = {}
    for company_id, step, n in (
        WorkPoint.objects.filter(is_active=True)
        .values("company", "step")
        .annotate(n=Count("pk"))
        .values_list("company", "step", "n")
    ):
        points_per_step[(company_id, step)] = n
    rows = []
    for project in projects:
        cells = []
        for step, label in LifecycleStep.choices:
            n = counts.get((project.pk, step), 0)
            expected = n * (
                points_per_step.get((None, step), 0)
                + points_per_step.get((project.company_id, step), 0)
            )
            cells.append(
                {
                    "step": step,
                    "label": label,
                    "customers": n,
                    "done": min(done.get((project.pk, step), 0), expected),
                    "expected": expected,
                }
            )
        rows.append({"project": project, "cells": cells})
    return rows


def default_visit_project(user):
    """The project the visit form starts with: the user's only project, else the project
    of the last visit they registered (still in their scope), else none."""
    projects = Project.objects.for_user(user)
    only = list(projects.values_list("pk", flat=True)[:2])
    if len(only) == 1:
        return only[0]
    return (
        Visit.objects.filter(registered_by=user, kind=Visit.Kind.SALES_OFFICE, project__in=projects)
        .order_by("-created_at", "-pk")
        .values_list("project", flat=True)
        .first()
    )


# Charts: the server answers aggregates as JSON (one spec per chart: categories and
# series), static/js/charts.js draws them with ECharts — the pattern for dashboards.


def _chart(title, categories, series, unit=""):
    return {"title": str(title), "categories": categories, "series": series, "unit": str(unit)}


def lifecycle_charts(user) -> dict:
    """The 6+2 overview as two charts: customers per step in each project (stacked),
    and work points done against expected per step — from lifecycle_overview's
    grouped queries, nothing counted in Python beyond its rows."""
    rows = lifecycle_overview(user)
    labels = [str(label) for _value, label in LifecycleStep.choices]
    projects = [row["project"].name for row in rows]
    per_step = [
        {
            "name": labels[i],
            "type": "bar",
            "stack": "customers",
            "data": [row["cells"][i]["customers"] for row in rows],
        }
        for i in range(len(labels))
    ]
    done = [sum(row["cells"][i]["done"] for row in rows) for i in range(len(labels))]
    expected = [sum(row["cells"][i]["expected"] for row in rows) for i in range(len(labels))]
    return {
        "steps": _chart(_("Customers per step in each project"), projects, per_step),
        "workpoints": _chart(
            _("Work points done per step"),
            labels,
            [
                {"name": str(_("Done")), "type": "bar", "data": done},
                {"name": str(_("Expected")), "type": "bar", "data": expected},
            ],
        ),
    }


def dashboard_charts(user, weeks=12, today=None) -> dict:
    """The manager's first charts: sales-office visits per week over the last `weeks`
    weeks and customers per step, each one grouped query in the database."""
    import datetime

    from django.db.models.functions import TruncWeek
    from django.utils import timezone

    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    per_week = dict(
        Visit.objects.for_user(user, roles=READERS)
        .filter(kind=Visit.Kind.SALES_OFFICE, visited_at__gte=start)
        .annotate(week=TruncWeek("visited_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    per_week = {week.date() if hasattr(week, "date") else week: n for week, n in per_week.items()}
    mondays = [first + datetime.timedelta(weeks=i) for i in range(weeks)]
    per_step = dict(
        Customer.objects.for_user(user, roles=READERS)
        .active()
        .values("step")
        .annotate(n=Count("pk"))
        .values_list("step", "n")
    )
    return {
        "visits": _chart(
            _("Sales-office visits per week"),
            [d.strftime("%m-%d") for d in mondays],  # the Monday of each week
            [
                {
                    "name": str(_("Visits")),
                    "type": "line",
                    "data": [per_week.get(d, 0) for d in mondays],
                }
            ],
        ),
        "steps": _chart(
            _("Customers per step"),
            [str(label) for _value, label in LifecycleStep.choices],
            [
                {
                    "name": str(_("Customers")),
                    "type": "bar",
                    "data": [per_step.get(step, 0) for step in LifecycleStep.values],
                }
            ],
        ),
    }
