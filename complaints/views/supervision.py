"""The category tree (group CRM staff manage it) and the group's supervision page
(open, overdue and escalated cases per company, each linking to the queue)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from org.scoping import RoleRequired, access_group_admin
from vanke_crm.pages import refused_status, staff_view, submit

from .. import knowledge, supervision
from ..knowledge_forms import CategoryAddForm, CategoryEditForm
from ..services import knowledge as services


def _category_page(request, *, add=None, status=200):
    title = _("Complaint categories")
    return render(
        request,
        "complaints/categories.html",
        {
            "title": title,
            "breadcrumbs": [(title, "")],
            "tree": knowledge.category_tree(),
            "add_form": add or CategoryAddForm(parents=knowledge.top_categories()),
        },
        status=status,
    )


@staff_view
def categories(request):
    """The tree, with the form that adds a category (group CRM staff only)."""
    access_group_admin(request.user)
    if request.method != "POST":
        return _category_page(request)
    form = CategoryAddForm(request.POST, parents=knowledge.top_categories())
    category = submit(request, form, lambda data: services.category_create(by=request.user, **data))
    if category is not None:
        messages.success(request, _("Category %(name)s was added.") % {"name": category.name})
        return redirect("complaints:categories")
    return _category_page(request, add=form, status=refused_status(form))


@staff_view
def category_edit(request, pk):
    access_group_admin(request.user)
    category = knowledge.category_detail(pk)
    initial = {"name": category.name, "trade": category.trade, "is_active": category.is_active}
    form = CategoryEditForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: services.category_update(by=request.user, category=category, **data),
    )
    if saved is not None:
        messages.success(request, _("The category was saved."))
        return redirect("complaints:categories")
    title = _("Edit %(name)s") % {"name": str(category)}
    crumbs = [(_("Complaint categories"), reverse("complaints:categories")), (title, "")]
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": crumbs, "form": form},
        status=refused_status(form),
    )


@staff_view
def supervision_page(request):
    user = request.user
    if not supervision.can_supervise(user):
        raise RoleRequired(_("The supervision page is for the group centre and managers."))
    rows = list(supervision.supervision_rows(user))
    title = _("Supervision")
    return render(
        request,
        "complaints/supervision.html",
        {
            "title": title,
            "breadcrumbs": [(title, "")],
            "rows": rows,
            "totals": supervision.supervision_totals(rows),
        },
    )


urlpatterns = [
    path("categories/", categories, name="categories"),
    path("categories/<int:pk>/", category_edit, name="category_edit"),
    path("supervision/", supervision_page, name="supervision"),
]
