"""The owner portal's case pages: the owner's case with its steps and the replies, the
return visit to answer and the request for the group centre; filing a new case for one
of their units. Another owner's case is a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.scoping import RoleRequired
from vanke_crm.error_pages import permission_denied
from vanke_crm.pages import refused_status, submit

from .. import selectors
from ..forms import OwnerCaseForm, OwnerEscalateForm, OwnerVisitForm
from ..services import portal as owner_services


def owner_view(view):
    @login_required(login_url="accounts:owner_login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_owner:
            return permission_denied(
                request, RoleRequired(_("These pages are for owners. Staff use the case queue."))
            )
        return view(request, *args, **kwargs)

    return wrapper


def _crumbs(*extra):
    return [(_("My home"), reverse("accounts:owner_home")), *extra]


def _render(request, case, *, visit_form=None, escalate_form=None, status=200):
    visit = selectors.open_visit(case) if case.status == "awaiting_visit" else None
    may_escalate = case.status not in ("closed", "cancelled") and not case.escalated_group_at
    return render(
        request,
        "complaints/portal/case.html",
        {
            "title": case.title,
            "breadcrumbs": _crumbs((case.number, None)),
            "case": case,
            "timeline": selectors.owner_timeline(case),
            "visit_form": (visit_form or OwnerVisitForm()) if visit else None,
            "escalate_form": (escalate_form or OwnerEscalateForm()) if may_escalate else None,
        },
        status=status,
    )


@owner_view
def owner_case(request, pk):
    return _render(request, selectors.owner_case(request.user, pk))


@owner_view
@require_POST
def owner_case_visit(request, pk):
    case = selectors.owner_case(request.user, pk)
    form = OwnerVisitForm(request.POST)

    def answer(data):
        return owner_services.portal_visit_answer(
            case=case, owner=request.user, verdict=data["verdict"], comment=data["comment"]
        )

    if submit(request, form, answer) is not None:
        messages.success(request, _("Thank you, your answer is recorded."))
        return redirect("complaints:owner_case", pk=pk)
    case = selectors.owner_case(request.user, pk)
    if case.status != "awaiting_visit" or selectors.open_visit(case) is None:
        # The form is no longer (or not yet) offered: the refusal is said above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render(request, case, visit_form=form, status=refused_status(form))


@owner_view
@require_POST
def owner_case_escalate(request, pk):
    case = selectors.owner_case(request.user, pk)
    form = OwnerEscalateForm(request.POST)

    def escalate(data):
        return owner_services.owner_escalate(case=case, owner=request.user, reason=data["reason"])

    if submit(request, form, escalate) is not None:
        messages.success(request, _("The group centre will supervise your case."))
        return redirect("complaints:owner_case", pk=pk)
    case = selectors.owner_case(request.user, pk)
    if case.status in ("closed", "cancelled") or case.escalated_group_at:
        # The form is no longer offered: the refusal is said above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render(request, case, escalate_form=form, status=refused_status(form))


@owner_view
def owner_case_new(request):
    units = selectors.owner_units(request.user)
    form = OwnerCaseForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        types=owner_services.OWNER_TYPES,
    )

    def create(data):
        return owner_services.portal_case_create(
            owner=request.user,
            unit=data["unit"],
            type=data["type"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
            photos=[data["photo"]] if data.get("photo") else [],
        )

    case = submit(request, form, create)
    if case is not None:
        messages.success(request, _("Case %(number)s is recorded.") % {"number": case.number})
        return redirect("complaints:owner_case", pk=case.pk)
    return render(
        request,
        "complaints/portal/new.html",
        {
            "title": _("Report a problem"),
            "breadcrumbs": _crumbs((_("Report a problem"), None)),
            "form": form,
            "has_units": units.exists(),
        },
        status=refused_status(form),
    )


urlpatterns = [
    path("my/new/", owner_case_new, name="owner_case_new"),
    path("my/<int:pk>/", owner_case, name="owner_case"),
    path("my/<int:pk>/visit/", owner_case_visit, name="owner_case_visit"),
    path("my/<int:pk>/escalate/", owner_case_escalate, name="owner_case_escalate"),
]
