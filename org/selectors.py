"""Read side of the organisation: scoped, shaped querysets for pages and the API.

Counts are correlated subqueries rather than joins: several COUNTs over joins on one
query would multiply each other (projects × units × staff)."""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.phone import normalize_mobile

from .models import Building, Company, Department, Membership, Project, Unit, WorkingDay
from .scoping import OutOfScope


def count_of(model, outer_path: str, *, distinct: str = "pk", **filters):
    """COUNT of `model` rows whose `outer_path` is the outer row, as a subquery."""
    rows = (
        model.objects.filter(**{outer_path: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer_path)
        .annotate(n=Count(distinct, distinct=distinct != "pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def get_scoped(queryset: QuerySet, user, **lookup):
    """One row of `queryset` within the user's scope; outside it (or missing): 404."""
    try:
        return queryset.for_user(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise OutOfScope() from exc


# --- companies ---------------------------------------------------------------------


def company_cards(user) -> QuerySet:
    """Companies in the user's scope with their headline counts."""
    return Company.objects.for_user(user).annotate(
        project_count=count_of(Project, "company"),
        building_count=count_of(Building, "project__company"),
        unit_count=count_of(Unit, "building__project__company"),
        staff_count=count_of(Membership, "company", distinct="user", is_active=True),
    )


def scope_totals(user) -> dict:
    """Headline figures of the user's scope, summed in the database."""
    totals = company_cards(user).aggregate(
        companies=Count("pk"),
        projects=Sum("project_count"),
        buildings=Sum("building_count"),
        units=Sum("unit_count"),
    )
    totals["staff"] = (
        Membership.objects.for_user(user).filter(is_active=True).values("user").distinct().count()
    )
    return {key: value or 0 for key, value in totals.items()}


def company_detail(user, pk) -> Company:
    return get_scoped(Company.objects.select_related("group"), user, pk=pk)


def company_projects(company) -> QuerySet:
    return company.projects.annotate(
        building_count=count_of(Building, "project"),
        unit_count=count_of(Unit, "building__project"),
    ).order_by("code")


def company_departments(company) -> QuerySet:
    return company.departments.annotate(
        staff_count=count_of(Membership, "department", distinct="user", is_active=True)
    ).order_by("kind", "name")


def company_staff(company) -> QuerySet:
    return (
        Membership.objects.filter(company=company, is_active=True)
        .select_related("user", "department")
        .order_by("role", "user__name", "user__username")
    )


def department_detail(user, pk) -> Department:
    return get_scoped(Department.objects.select_related("company"), user, pk=pk)


def department_staff(department) -> QuerySet:
    return (
        department.memberships.filter(is_active=True)
        .select_related("user")
        .order_by("user__name", "user__username")
    )


# --- places ------------------------------------------------------------------------


def project_detail(user, pk) -> Project:
    return get_scoped(Project.objects.select_related("company"), user, pk=pk)


def project_buildings(project) -> QuerySet:
    return project.buildings.annotate(unit_count=count_of(Unit, "building")).order_by("number")


def building_detail(user, pk) -> Building:
    return get_scoped(Building.objects.select_related("project__company"), user, pk=pk)


def building_units(building) -> QuerySet:
    return building.units.order_by("entrance", "floor", "number")


def unit_detail(user, pk) -> Unit:
    return get_scoped(Unit.objects.select_related("building__project__company"), user, pk=pk)


# --- staff -------------------------------------------------------------------------


def staff_list(*, company=None, role="", search="") -> QuerySet:
    """Staff users (group administration) with their active roles prefetched."""
    users = User.objects.filter(kind=User.Kind.STAFF).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related(
                "company", "department"
            ),
            to_attr="active_memberships",
        )
    )
    if company is not None or role:
        roles = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
        if company is not None:
            roles = roles.filter(company=company)
        if role:
            roles = roles.filter(role=role)
        users = users.filter(Exists(roles))
    search = (search or "").strip()
    if search:
        match = Q(name__icontains=search) | Q(username__icontains=search)
        digits = "".join(ch for ch in search if ch.isdigit())
        if len(digits) >= 3:
            match |= Q(mobile__contains=digits)
        if normalize_mobile(search):
            match |= Q(mobile=normalize_mobile(search))
        users = users.filter(match)
    return users.order_by("-is_active", "name", "username")


def staff_detail(pk) -> User:
    try:
        return User.objects.filter(kind=User.Kind.STAFF).get(pk=pk)
    except User.DoesNotExist as exc:
        raise OutOfScope() from exc


def staff_memberships(user) -> QuerySet:
    return user.memberships.select_related("company", "department").order_by(
        "-is_active", "company__code", "role"
    )


# --- the working calendar (org.working_time) ----------------------------------------


def working_day_detail(user, pk) -> WorkingDay:
    """A calendar entry in the user's scope (a group-wide one: group staff only)."""
    return get_scoped(WorkingDay.objects.select_related("company"), user, pk=pk)


def calendar_changes(company, year, *, limit=20) -> list:
    """The latest additions and removals of the company's own entries (None: the
    group-wide ones) for days of `year`, with who made them."""
    return list(
        WorkingDay.history.filter(company=company, date__year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
