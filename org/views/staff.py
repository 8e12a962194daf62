"""Staff accounts and their roles: group administration (group CRM staff only)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import history_for_staff
from audit.views import history_tab

from .. import selectors, services
from ..forms import MembershipGrantForm, StaffCreateForm, StaffEditForm, StaffFilterForm
from ..models import Membership
from .base import act, group_admin_view, paginate, query_string, refused_status, staff_view, submit


def _crumbs(*items):
    return [(_("Staff and roles"), reverse("org:staff_list")), *items]


@group_admin_view
def staff_list(request):
    filters = StaffFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    users = selectors.staff_list(
        company=criteria.get("company"),
        role=criteria.get("role", ""),
        search=criteria.get("q", ""),
    )
    return render(
        request,
        "org/staff_list.html",
        {
            "title": _("Staff and roles"),
            "breadcrumbs": _crumbs(),
            "filters": filters,
            "page_obj": paginate(request, users),
            "query_string": query_string(request),
        },
    )


@group_admin_view
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    user = submit(request, form, lambda data: services.staff_create(by=request.user, **data))
    if user:
        messages.success(
            request,
            _("%(name)s can now sign in. Give them a role below.") % {"name": user.display_name},
        )
        return redirect("org:staff_detail", pk=user.pk)
    title = _("New staff member")
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": _crumbs((title, "")), "form": form},
        status=refused_status(form),
    )


def _staff_context(request, person):
    return {
        "title": person.display_name,
        "breadcrumbs": _crumbs((person.display_name, "")),
        "person": person,
    }


@group_admin_view
def staff_detail(request, pk):
    person = selectors.staff_detail(pk)
    context = _staff_context(request, person)
    context.update(
        tab="overview",
        memberships=selectors.staff_memberships(person),
        grant_form=MembershipGrantForm(),
    )
    return render(request, "org/staff_detail.html", context)


@group_admin_view
def staff_history(request, pk):
    person = selectors.staff_detail(pk)
    return history_tab(
        request,
        entries=history_for_staff(person),
        page_template="org/staff_detail.html",
        context=_staff_context(request, person),
    )


@group_admin_view
def staff_edit(request, pk):
    person = selectors.staff_detail(pk)
    initial = {name: getattr(person, name) for name in services.STAFF_FIELDS}
    form = StaffEditForm(request.POST or None, initial=initial)
    saved = submit(
        request, form, lambda data: services.staff_update(by=request.user, user=person, **data)
    )
    if saved:
        messages.success(request, _("The staff member's data was saved."))
        return redirect("org:staff_detail", pk=person.pk)
    title = _("Edit %(name)s") % {"name": person.display_name}
    crumbs = _crumbs((person.display_name, reverse("org:staff_detail", args=[pk])), (title, ""))
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": crumbs, "form": form},
        status=refused_status(form),
    )


@require_POST
@group_admin_view
def staff_set_active(request, pk, active):
    person = selectors.staff_detail(pk)
    change = services.staff_reactivate if active else services.staff_deactivate
    done = _("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in.")
    act(
        request,
        lambda: change(by=request.user, user=person),
        done=done % {"name": person.display_name},
    )
    return redirect("org:staff_detail", pk=person.pk)


# --- roles -------------------------------------------------------------------------


@group_admin_view
def membership_grant(request, user_pk):
    person = selectors.staff_detail(user_pk)
    form = MembershipGrantForm(request.POST or None)
    membership = submit(
        request,
        form,
        lambda data: services.membership_grant(by=request.user, user=person, **data),
    )
    if membership:
        messages.success(request, _("Role added: %(role)s.") % {"role": str(membership)})
        return redirect("org:staff_detail", pk=person.pk)
    title = _("Add a role")
    crumbs = _crumbs(
        (person.display_name, reverse("org:staff_detail", args=[user_pk])), (title, "")
    )
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": crumbs, "form": form},
        status=refused_status(form),
    )


@require_POST
@staff_view
def membership_revoke(request, pk):
    membership = selectors.get_scoped(
        Membership.objects.select_related("user", "company"), request.user, pk=pk
    )
    act(
        request,
        lambda: services.membership_revoke(by=request.user, membership=membership),
        done=_("Role removed: %(role)s.") % {"role": str(membership)},
    )
    return redirect("org:staff_detail", pk=membership.user_id)
