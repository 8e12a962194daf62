"""The four role homes that `/` redirects to (see vanke_crm.views.home)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import panels, selectors
from ..models import Role
from .base import require_role, staff_view


def _home(request, template, title, **context):
    context.update(title=title, breadcrumbs=[(title, "")])
    return render(request, template, context)


@staff_view
def group_home(request):
    require_role(request.user, Role.GROUP_CRM)
    return _home(
        request,
        "org/group_home.html",
        _("Group overview"),
        companies=selectors.company_cards(request.user),
        totals=selectors.scope_totals(request.user),
    )


@staff_view
def workbench(request):
    require_role(request.user, Role.COMPANY_CRM)
    return _home(
        request,
        "org/workbench.html",
        _("Workbench"),
        companies=selectors.company_cards(request.user),
        panels=panels.workbench_panels(request),
    )


@staff_view
def dashboard(request):
    require_role(request.user, Role.MANAGER)
    return _home(
        request,
        "org/dashboard.html",
        _("Dashboard"),
        companies=selectors.company_cards(request.user),
        totals=selectors.scope_totals(request.user),
        panels=panels.dashboard_panels(request),
    )


@staff_view
def my_tasks(request):
    require_role(request.user, Role.HANDLER)
    return _home(
        request, "org/my_tasks.html", _("My tasks"), panels=panels.my_tasks_panels(request)
    )
