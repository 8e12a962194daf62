"""Settings pages generated from the registry (org.company_settings): a company's own
values beside the group defaults, and the group defaults themselves."""

from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import company_settings, selectors, services
from ..forms import SettingsForm
from ..models import Role
from ..scoping import RoleRequired
from .base import group_admin_view, staff_view, submit


@staff_view
def settings_home(request):
    """Group staff: the group defaults; company CRM staff: their (first) company."""
    if request.user.scope.sees_all:
        return redirect("org:group_settings")
    ids = sorted(request.user.scope.companies_with(Role.COMPANY_CRM))
    if not ids:
        raise RoleRequired(_("Only customer-relations staff may change settings."))
    return redirect("org:company_settings", pk=ids[0])


@staff_view
def company_settings_page(request, pk):
    company = selectors.company_detail(request.user, pk)
    services.access_settings_change(request.user, company)
    title = _("Settings · %(company)s") % {"company": company.name}
    crumbs = [
        (_("Companies"), reverse("org:company_list")),
        (company.name, reverse("org:company_detail", args=[company.pk])),
        (_("Settings"), ""),
    ]
    return _settings_page(request, company, title, crumbs)


@group_admin_view
def group_settings_page(request):
    title = _("Group defaults")
    crumbs = [(_("Group overview"), reverse("org:group_home")), (title, "")]
    return _settings_page(request, None, title, crumbs)


def _settings_page(request, company, title, crumbs):
    here = request.path
    clear = request.POST.get("clear") if request.method == "POST" else None
    if clear:
        try:
            setting = company_settings.get(clear)
        except KeyError:
            raise Http404 from None
        services.setting_clear(company=company, key=clear, by=request.user)
        if company is None:
            message = _("%(label)s is back to its declared default.")
        else:
            message = _("%(label)s follows the group default again.")
        messages.success(request, message % {"label": setting.label})
        return redirect(here)
    form = SettingsForm(request.POST or None, company=company)
    saved = submit(
        request,
        form,
        lambda data: (
            services.settings_save(company=company, values=form.changes(), by=request.user) or True
        ),
    )
    if saved:
        messages.success(request, _("The settings were saved."))
        return redirect(here)
    sections = [
        (section, list(rows))
        for section, rows in groupby(form.rows, key=lambda row: str(row["setting"].section))
    ]
    return render(
        request,
        "org/settings.html",
        {
            "title": title,
            "breadcrumbs": crumbs,
            "company": company,
            "form": form,
            "sections": sections,
        },
    )
