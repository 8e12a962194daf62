"""Charts' data as JSON (aggregated in the database by the selectors, scoped to the
user) and the dashboard panel that shows them; static/js/charts.js draws them."""

from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from org.scoping import RoleRequired
from vanke_crm.pages import staff_view

from .. import selectors


def _may_read(user) -> None:
    if not selectors.can_read_customers(user):
        raise RoleRequired(_("Your role does not give access to customer records."))


@never_cache
@staff_view
def lifecycle_charts(request):
    _may_read(request.user)
    return JsonResponse({"charts": selectors.lifecycle_charts(request.user)})


@never_cache
@staff_view
def dashboard_charts(request):
    _may_read(request.user)
    return JsonResponse({"charts": selectors.dashboard_charts(request.user)})


def dashboard_panel(request):
    """The manager dashboard's customer charts (registered in apps.py)."""
    if not selectors.can_read_customers(request.user):
        return None
    return "customers/partials/dashboard_charts.html", {
        "url": reverse("customers:dashboard_charts")
    }


urlpatterns = [
    path("lifecycle/charts.json", lifecycle_charts, name="lifecycle_charts"),
    path("charts/dashboard.json", dashboard_charts, name="dashboard_charts"),
]
