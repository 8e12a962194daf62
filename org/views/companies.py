"""Companies and their departments: group CRM staff change them, company staff read
their own company."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.selectors import history_for
from audit.views import history_tab

from .. import selectors, services
from ..forms import CompanyEditForm, CompanyForm, DepartmentForm
from ..models import Role
from ..scoping import access_group_admin
from .base import group_admin_view, paginate, staff_view, submit


def _crumbs(*items):
    return [(_("Companies"), reverse("org:company_list")), *items]


@staff_view
def company_list(request):
    companies = selectors.company_cards(request.user).select_related("group").order_by("code")
    return render(
        request,
        "org/company_list.html",
        {
            "title": _("Companies"),
            "breadcrumbs": _crumbs(),
            "page_obj": paginate(request, companies),
            "can_edit": request.user.scope.sees_all,
        },
    )


@group_admin_view
def company_create(request):
    form = CompanyForm(request.POST or None)
    company = submit(request, form, lambda data: services.company_create(by=request.user, **data))
    if company:
        messages.success(request, _("Company %(name)s was created.") % {"name": company.name})
        return redirect("org:company_detail", pk=company.pk)
    title = _("New company")
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": _crumbs((title, "")), "form": form},
    )


@staff_view
def company_edit(request, pk):
    company = selectors.company_detail(request.user, pk)
    access_group_admin(request.user)
    initial = {name: getattr(company, name) for name in services.COMPANY_FIELDS}
    form = CompanyEditForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: services.company_update(by=request.user, company=company, **data),
    )
    if saved:
        messages.success(request, _("The company's data was saved."))
        return redirect("org:company_detail", pk=company.pk)
    title = _("Edit %(name)s") % {"name": company.name}
    crumbs = _crumbs((company.name, reverse("org:company_detail", args=[pk])), (title, ""))
    return render(
        request, "org/form_page.html", {"title": title, "breadcrumbs": crumbs, "form": form}
    )


def _company_context(request, company):
    return {
        "title": company.name,
        "breadcrumbs": _crumbs((company.name, "")),
        "company": company,
        "can_edit": request.user.scope.sees_all,
        "can_change_settings": request.user.scope.has_role(Role.COMPANY_CRM, company_id=company.pk),
        "can_see_calendar": request.user.scope.has_role(
            Role.COMPANY_CRM, Role.MANAGER, company_id=company.pk
        ),
    }


@staff_view
def company_detail(request, pk):
    company = selectors.company_detail(request.user, pk)
    context = _company_context(request, company)
    context.update(
        tab="overview",
        projects=selectors.company_projects(company),
        departments=selectors.company_departments(company),
        staff=selectors.company_staff(company),
    )
    return render(request, "org/company_detail.html", context)


@staff_view
def company_history(request, pk):
    company = selectors.company_detail(request.user, pk)
    return history_tab(
        request,
        entries=history_for(company),
        page_template="org/company_detail.html",
        context=_company_context(request, company),
    )


# --- departments -------------------------------------------------------------------


@staff_view
def department_create(request, company_pk):
    company = selectors.company_detail(request.user, company_pk)
    access_group_admin(request.user)
    form = DepartmentForm(request.POST or None)
    department = submit(
        request,
        form,
        lambda data: services.department_create(by=request.user, company=company, **data),
    )
    if department:
        messages.success(request, _("Department %(name)s was added.") % {"name": department.name})
        return redirect("org:company_detail", pk=company.pk)
    title = _("New department")
    crumbs = _crumbs((company.name, reverse("org:company_detail", args=[company.pk])), (title, ""))
    return render(
        request, "org/form_page.html", {"title": title, "breadcrumbs": crumbs, "form": form}
    )


@staff_view
def department_edit(request, pk):
    department = selectors.department_detail(request.user, pk)
    access_group_admin(request.user)
    initial = {name: getattr(department, name) for name in services.DEPARTMENT_FIELDS}
    form = DepartmentForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: services.department_update(by=request.user, department=department, **data),
    )
    if saved:
        messages.success(request, _("The department was saved."))
        return redirect("org:department_detail", pk=department.pk)
    company = department.company
    title = _("Edit %(name)s") % {"name": department.name}
    crumbs = _crumbs(
        (company.name, reverse("org:company_detail", args=[company.pk])),
        (department.name, reverse("org:department_detail", args=[pk])),
        (title, ""),
    )
    return render(
        request, "org/form_page.html", {"title": title, "breadcrumbs": crumbs, "form": form}
    )


@staff_view
def department_detail(request, pk):
    department = selectors.department_detail(request.user, pk)
    company = department.company
    return render(
        request,
        "org/department_detail.html",
        {
            "title": department.name,
            "breadcrumbs": _crumbs(
                (company.name, reverse("org:company_detail", args=[company.pk])),
                (department.name, ""),
            ),
            "department": department,
            "staff": selectors.department_staff(department),
            "can_edit": request.user.scope.sees_all,
        },
    )
