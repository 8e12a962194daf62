"""Hotline intake: the case as the caller tells it, the caller found as staff type."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from org.models import Project
from org.scoping import RoleRequired
from vanke_crm.pages import refused_status, staff_view, submit

from .. import selectors, services
from ..forms import IntakeForm


def _crumbs(*extra):
    return [(_("Cases"), reverse("complaints:queue")), *extra]


@staff_view
def intake(request):
    if not selectors.can_record_cases(request.user):
        raise RoleRequired(_("Only customer-relations staff may record cases."))
    companies = selectors.intake_companies(request.user).order_by("name")
    form = IntakeForm(
        request.POST or None,
        companies=companies,
        customers=selectors.customers_of(request.user),
        projects=Project.objects.filter(company__in=companies).order_by("name"),
    )

    def create(data):
        return services.case_create(
            company=data["company"],
            by=request.user,
            type=data["type"],
            channel=data["channel"],
            severity=data["severity"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
            customer=data["customer"],
            project=data["project"],
            unit=data["unit"],
            caller_name=data["caller_name"],
            caller_mobile=data["caller_mobile"],
        )

    case = submit(request, form, create)
    if case is not None:
        messages.success(request, _("Case %(number)s is recorded.") % {"number": case.number})
        return redirect("complaints:case", pk=case.pk)
    chosen = form["customer"].value() if form.is_bound else None
    customer = None
    if chosen and str(chosen).isdigit():
        customer = selectors.customers_of(request.user).filter(pk=chosen).first()
    return render(
        request,
        "complaints/intake.html",
        {
            "title": _("Record a case"),
            "breadcrumbs": _crumbs((_("Record a case"), None)),
            "form": form,
            "customer": customer,
            "open_cases": selectors.open_cases_of(request.user, customer) if customer else [],
        },
        status=refused_status(form),
    )


@staff_view
def caller_search(request):
    """htmx: the customers matching what was typed (mobile, tail, name, pinyin, unit)."""
    if not selectors.can_record_cases(request.user):
        raise RoleRequired(_("Only customer-relations staff may record cases."))
    q = request.GET.get("q", "")[:64]
    return render(
        request,
        "complaints/partials/caller_results.html",
        {"q": q.strip(), "customers": selectors.caller_search(request.user, q)},
    )


@staff_view
def caller_pick(request, pk):
    """htmx: the chosen customer with their open cases (to avoid a duplicate)."""
    if not selectors.can_record_cases(request.user):
        raise RoleRequired(_("Only customer-relations staff may record cases."))
    customer = selectors.chosen_customer(request.user, pk)
    return render(
        request,
        "complaints/partials/caller_chosen.html",
        {"customer": customer, "open_cases": selectors.open_cases_of(request.user, customer)},
    )


urlpatterns = [
    path("new/", intake, name="intake"),
    path("new/callers/", caller_search, name="caller_search"),
    path("new/callers/<int:pk>/", caller_pick, name="caller_pick"),
]
