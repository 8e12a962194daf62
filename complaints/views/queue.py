"""The work queue: saved views as tabs, filters, the SLA countdown, bulk assign."""

import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org.models import Project, Role
from org.scoping import RoleRequired
from vanke_crm import listcache
from vanke_crm.pages import paginate, query_string, staff_view, submit

from .. import selectors, services
from ..forms import BulkAssignForm, QueueFilterForm
from ..models import Case

COUNTDOWN_SECONDS = 30  # the longest a cached page's SLA countdowns may be behind


def _filter_form(request):
    return QueueFilterForm(
        request.GET,
        projects=Project.objects.for_user(request.user).order_by("name"),
        colleagues=selectors.crm_colleagues(request.user),
        companies=selectors.queue_companies(request.user),
        own_company_ids=list(request.user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER)),
    )


@staff_view
def queue(request):
    return _render_queue(request)


def _render_queue(request, *, status=200):
    user = request.user
    if not selectors.can_read_queue(user):
        raise RoleRequired(_("Your role does not give access to the case queue."))
    view = request.GET.get("view", selectors.DEFAULT_VIEW)
    if view not in selectors.VIEW_KEYS:
        view = selectors.DEFAULT_VIEW
    filters = _filter_form(request)
    valid = filters.is_valid()
    can_assign = selectors.can_record_cases(user)

    def results() -> str:
        cases = selectors.case_queue(user, view=view, filters=filters.cleaned_data if valid else {})
        if not valid:
            # A filter that cannot be applied (another company's project, case owner or
            # company; a date that does not read) is never dropped, which would widen
            # the list: no case is shown and the form says which filter was refused.
            cases = cases.none()
        page_obj = paginate(request, cases)
        now = timezone.now()
        rows = [(case, *selectors.sla_countdown(case, now)) for case in page_obj.object_list]
        return render_to_string(
            "complaints/partials/queue_results.html",
            {
                "request": request,
                "page_obj": page_obj,
                "rows": rows,
                "query_string": query_string(request),
                "can_assign": can_assign,
                "sees_all": user.scope.sees_all,
            },
        )

    # The rows are the same for every colleague with this scope until a case (or a
    # customer, project…) of these companies changes (vanke_crm.listcache, decision
    # 0024); "mine" is the reader's own. The countdowns are at most COUNTDOWN_SECONDS
    # old: the key moves on with the clock as well.
    html = listcache.cached(
        request,
        "complaints:queue",
        companies=listcache.companies_of(user),
        build=results,
        extra=(
            user.pk if view == "mine" else None,
            int(time.time() // COUNTDOWN_SECONDS),
        ),
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return HttpResponse(html)
    params = request.GET.copy()
    params.pop("view", None)
    params.pop("page", None)
    context = {
        "title": _("Cases"),
        "view": view,
        "views": selectors.VIEWS,
        "filters": filters,
        "results": html,
        "filter_string": params.urlencode(),
        "can_assign": can_assign,
        "can_record": can_assign,
        "colleagues": selectors.crm_colleagues(user) if can_assign else [],
    }
    return render(request, "complaints/queue.html", context, status=status)


@staff_view
def assign(request):
    """Bulk assign: the ticked open cases go to a customer-relations colleague."""
    user = request.user
    if request.method != "POST":
        return redirect("complaints:queue")
    if not selectors.can_record_cases(user):
        raise RoleRequired(_("Only customer-relations staff may handle cases."))
    form = BulkAssignForm(
        request.POST,
        cases=Case.objects.for_user(user),
        colleagues=selectors.crm_colleagues(user),
    )
    changed = submit(
        request,
        form,
        lambda data: services.case_assign(cases=data["cases"], assignee=data["assignee"], by=user),
    )
    back = request.POST.get("next", "")
    target = back if back.startswith("/complaints/") and "//" not in back else "/complaints/"
    if changed is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _render_queue(request, status=400)
    messages.success(
        request,
        ngettext("%(count)d case assigned.", "%(count)d cases assigned.", changed)
        % {"count": changed},
    )
    return redirect(target)


urlpatterns = [
    path("", queue, name="queue"),
    path("assign/", assign, name="assign"),
]
