"""Customer settings of a company: the 6+2 work points, and the lifecycle lengths
that apply (changed on the settings page generated from the registry, org.views)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from org import company_settings
from org.models import Company
from org.scoping import RoleRequired
from vanke_crm.pages import act, refused_status, submit

from ..lifecycle_settings import SETTINGS
from ..models import LifecycleStep, WorkPoint
from ..services import config
from ..workpoints import label_of
from .staff import _crumbs


class WorkPointForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("6+2 step"), choices=LifecycleStep.choices)
    label = forms.CharField(label=gettext_lazy("Work point"), max_length=200)


def _company(request, pk):
    company = get_object_or_404(Company.objects.for_user(request.user), pk=pk)
    if not request.user.scope.has_role("company_crm", company_id=company.pk):
        raise RoleRequired(_("Only customer-relations staff may change customer settings."))
    return company


@login_required
def settings_page(request, pk):
    company = _company(request, pk)
    point_form = WorkPointForm(request.POST if request.method == "POST" else None)
    created = submit(
        request,
        point_form,
        lambda data: config.workpoint_create(company=company, by=request.user, **data),
    )
    if created is not None:
        messages.success(request, _("Saved."))
        return redirect("customers:settings", pk=pk)
    points = list(
        WorkPoint.objects.filter(Q(company__isnull=True) | Q(company=company)).order_by(
            "step", "order", "pk"
        )
    )
    for point in points:
        point.display_label = label_of(point)
    return render(
        request,
        "customers/settings.html",
        {
            "title": _("Customer settings · %(company)s") % {"company": company.name},
            "breadcrumbs": _crumbs((_("Settings"), None)),
            "company": company,
            "companies": Company.objects.for_user(request.user).order_by("code"),
            "lengths": [
                (setting, company_settings.effective(company, setting.key)) for setting in SETTINGS
            ],
            "point_form": point_form,
            "points": points,
            "can_edit_defaults": request.user.scope.sees_all,
        },
        status=refused_status(point_form),
    )


@login_required
@require_POST
def workpoint_toggle_active(request, pk):
    point = get_object_or_404(WorkPoint, pk=pk)
    if point.company_id is not None:
        get_object_or_404(Company.objects.for_user(request.user), pk=point.company_id)
    act(
        request,
        lambda: config.workpoint_set_active(
            work_point=point, by=request.user, active=not point.is_active
        ),
    )
    back = request.POST.get("company")
    if back and back.isdigit():
        return redirect("customers:settings", pk=int(back))
    return redirect(reverse("customers:list"))


@login_required
def settings_home(request):
    ids = sorted(request.user.scope.company_ids)
    company = Company.objects.for_user(request.user).filter(pk__in=ids).first() if ids else None
    company = company or Company.objects.for_user(request.user).order_by("code").first()
    if company is None:
        raise RoleRequired(_("Only customer-relations staff may change customer settings."))
    return redirect("customers:settings", pk=company.pk)


urlpatterns = [
    path("settings/", settings_home, name="settings_home"),
    path("settings/<int:pk>/", settings_page, name="settings"),
    path("settings/work-points/<int:pk>/toggle/", workpoint_toggle_active, name="workpoint_active"),
]
