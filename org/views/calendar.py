"""The working calendar pages (org.working_time, docs/decisions/0023): a company's year
of holidays, make-up working days and local entries, and the group-wide entries."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanke_crm.pages import act, refused_status

from .. import selectors, services, working_time
from ..forms import WorkingDayForm
from ..models import Role
from ..scoping import RoleRequired
from .base import staff_view, submit


@staff_view
def calendar_home(request):
    """Group staff: the group-wide entries; company staff: their (first) company."""
    if request.user.scope.sees_all:
        return redirect("org:group_calendar")
    ids = sorted(request.user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER))
    if not ids:
        raise RoleRequired(_("The working calendar is for customer-relations staff and managers."))
    return redirect("org:company_calendar", pk=ids[0])


@staff_view
def company_calendar(request, pk):
    company = selectors.company_detail(request.user, pk)
    services.access_calendar_read(request.user, company)
    title = _("Working calendar · %(company)s") % {"company": company.name}
    crumbs = [
        (_("Companies"), reverse("org:company_list")),
        (company.name, reverse("org:company_detail", args=[company.pk])),
        (_("Working calendar"), ""),
    ]
    here = reverse("org:company_calendar", args=[company.pk])
    return _calendar_page(request, company, title, crumbs, here)


@staff_view
def group_calendar(request):
    services.access_calendar_read(request.user, None)
    title = _("Group-wide working calendar")
    crumbs = [(_("Group overview"), reverse("org:group_home")), (title, "")]
    return _calendar_page(request, None, title, crumbs, reverse("org:group_calendar"))


@require_POST
@staff_view
def working_day_remove(request, pk):
    entry = selectors.working_day_detail(request.user, pk)
    act(
        request,
        lambda: services.working_day_remove(entry=entry, by=request.user),
        done=_("The entry of %(date)s was removed.") % {"date": entry.date.isoformat()},
    )
    if entry.company_id is None:
        back = reverse("org:group_calendar")
    else:
        back = reverse("org:company_calendar", args=[entry.company_id])
    return redirect(f"{back}?year={entry.date.year}")


def _year(request, years) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return timezone.localdate().year


def _can_change(user, company) -> bool:
    if company is None:
        return user.scope.sees_all
    return user.scope.has_role(Role.COMPANY_CRM, company_id=company.pk)


def _calendar_page(request, company, title, crumbs, here):
    can_change = _can_change(request.user, company)
    if request.method == "POST":
        services.access_calendar_change(request.user, company)  # 403 before any form
    first, last = working_time.editable_range(timezone.localdate())
    years = range(first.year, last.year + 1)
    form = WorkingDayForm(request.POST or None)
    entry = submit(
        request,
        form,
        lambda data: services.working_day_add(company=company, by=request.user, **data),
    )
    if entry:
        messages.success(
            request,
            _("%(date)s was added to the calendar.") % {"date": entry.date.isoformat()},
        )
        return redirect(f"{here}?year={entry.date.year}")
    year = _year(request, years)
    calendar = working_time.WorkingCalendar(company)
    return render(
        request,
        "org/calendar.html",
        {
            "title": title,
            "breadcrumbs": crumbs,
            "company": company,
            "year": year,
            "years": years,
            "here": here,
            "days": calendar.special_days(year),
            "official_known": working_time.official_year_known(year),
            "hours": _hours_text(calendar),
            # The working hours are settings, changed by the same people (decision 0018).
            "can_change": can_change,
            "own_source": working_time.COMPANY if company else working_time.GROUP,
            "form": form,
            "changes": selectors.calendar_changes(company, year),
        },
        status=refused_status(form),
    )


def _hours_text(calendar) -> str:
    start, lunch, lunch_end, end = calendar.hours()

    def clock(minutes):
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    if lunch_end > lunch:
        return _("%(start)s–%(end)s, lunch break %(lunch)s–%(lunch_end)s") % {
            "start": clock(start),
            "end": clock(end),
            "lunch": clock(lunch),
            "lunch_end": clock(lunch_end),
        }
    return _("%(start)s–%(end)s, no lunch break") % {"start": clock(start), "end": clock(end)}
