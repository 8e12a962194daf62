"""Staff pages that change ownership, merge duplicates and record revisits, plus the
duplicate report and the company's 6+2 overview."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import state_events_for
from org.scoping import RoleRequired
from vanke_crm.pages import attempt, refused_status, submit
from vanke_crm.transitions import available_actions, history_entries, transition, workflow_for

from .. import selectors, services
from ..forms import (
    OWNERSHIP_ACTION_FORMS,
    MergeChoiceForm,
    MergeForm,
    OwnershipForm,
    RevisitForm,
)
from ..models import Customer, Ownership, RevisitTask
from ..services.ownership import cancellation_window_end
from .staff import _crumbs


def _customer_crumbs(customer, *extra):
    return _crumbs((customer.name, reverse("customers:detail", args=[customer.pk])), *extra)


@login_required
def ownership_add(request, pk):
    customer = selectors.customer_detail(request.user, pk)
    form = OwnershipForm(request.POST or None, company=customer.company)

    def create(data):
        return services.ownership_create(
            customer=customer,
            unit=data["unit"],
            by=request.user,
            role=data["role"],
            subscribed_on=data["subscribed_on"],
            contracted_on=data["contracted_on"],
            price=data["price"],
            delivery_due_on=data["delivery_due_on"],
            handover_on=data["handover_on"],
        )

    if submit(request, form, create) is not None:
        messages.success(request, _("Unit added."))
        return redirect("customers:detail", pk=pk)
    return render(
        request,
        "customers/ownership_form.html",
        {
            "title": _("Add a unit"),
            "breadcrumbs": _customer_crumbs(customer, (_("Add a unit"), None)),
            "form": form,
            "customer": customer,
        },
        status=refused_status(form),
    )


def _ownership(request, pk):
    ownership = get_object_or_404(
        Ownership.objects.for_user(request.user).select_related(
            "customer__company", "unit__building__project", "cancel_requested_by"
        ),
        pk=pk,
    )
    selectors.access_customer_read(request.user, ownership.customer.company_id)
    return ownership


@login_required
def ownership_detail(request, pk):
    """One ownership with a card for each action the user may take in its state (the
    platform's transition table decides; the page only shows what it answers)."""
    ownership = _ownership(request, pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    posted_form, status = None, 200
    if posted:
        posted_form = OWNERSHIP_ACTION_FORMS.get(posted, forms.Form)(request.POST)

        def run(data):
            data = dict(data)
            reason = data.pop("reason", "")
            return transition(ownership, posted, by=request.user, reason=reason, **data)

        result = submit(request, posted_form, run)  # the platform's one refusal path
        if result is not None:
            messages.success(request, workflow_for(result).by_action[posted].done_message(result))
            return redirect("customers:ownership", pk=pk)
        status = refused_status(posted_form)
    ownership.refresh_from_db()
    cards = [
        (
            rule,
            posted_form
            if rule.action == posted
            else OWNERSHIP_ACTION_FORMS.get(rule.action, forms.Form)(),
        )
        for rule in available_actions(ownership, request.user)
    ]
    if posted_form is not None and posted not in {rule.action for rule, _form in cards}:
        # Refused outright (unknown action, wrong state): no card shows the form.
        for error in posted_form.non_field_errors():
            messages.error(request, error)
    return render(
        request,
        "customers/ownership.html",
        {
            "title": str(ownership),
            "breadcrumbs": _customer_crumbs(ownership.customer, (ownership.unit.code, None)),
            "ownership": ownership,
            "cards": cards,
            "window_end": cancellation_window_end(ownership),
            "events": history_entries(state_events_for(ownership)[:50]),
        },
        status=status,
    )


@login_required
def cancellations_pending(request):
    if not selectors.can_read_customers(request.user):
        raise RoleRequired(_("Your role does not give access to customer records."))
    rows = (
        Ownership.objects.for_user(request.user)
        .filter(status=Ownership.Status.CANCEL_PENDING)
        .select_related("customer", "unit__building__project", "cancel_requested_by")
        .order_by("cancel_requested_at")
    )
    return render(
        request,
        "customers/cancellations.html",
        {
            "title": _("Cancellations awaiting approval"),
            "breadcrumbs": _crumbs((_("Cancellations awaiting approval"), None)),
            "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
        },
    )


def _merge_form(request, customer, other, data=None):
    return MergeChoiceForm(
        data,
        first=customer,
        second=other,
        fields_compared=services.merge_fields(request.user),
    )


def _render_merge(request, customer, *, other=None, form=None, preview=None, pick=None, status=200):
    return render(
        request,
        "customers/merge.html",
        {
            "title": _("Merge a duplicate of %(name)s") % {"name": customer.name},
            "breadcrumbs": _customer_crumbs(customer, (_("Merge"), None)),
            "customer": customer,
            "other": other,
            "preview": preview,
            "form": form,
            "pick": pick,
            "candidates": selectors.duplicates_of(request.user, customer) if other is None else [],
        },
        status=status,
    )


@login_required
def merge_start(request, pk):
    """Choose the duplicate (from the likely ones, or by number), then compare both
    records side by side and choose the survivor and each differing value."""
    customer = selectors.customer_detail(request.user, pk)
    pick = MergeForm(request.GET or None)
    if not pick.is_valid():
        return _render_merge(request, customer, pick=pick)
    other = Customer.objects.for_user(request.user).filter(pk=pick.cleaned_data["other"]).first()
    if other is None:
        pick.add_error("other", _("No customer with this number in your companies."))
        return _render_merge(request, customer, pick=pick)
    preview = attempt(
        pick, lambda: services.merge_preview(source=other, target=customer, by=request.user)
    )
    if preview is None:
        return _render_merge(request, customer, pick=pick, status=refused_status(pick))
    form = _merge_form(request, customer, other)
    return _render_merge(request, customer, other=other, form=form, preview=preview)


@login_required
@require_POST
def merge_confirm(request, pk, other_pk):
    customer = selectors.customer_detail(request.user, pk)
    other = get_object_or_404(Customer.objects.for_user(request.user), pk=other_pk)
    form = _merge_form(request, customer, other, request.POST)
    # The same checks as the merge's: a refused pair is said once, above the choices.
    preview = attempt(
        form, lambda: services.merge_preview(source=other, target=customer, by=request.user)
    )
    arguments = form.merge_arguments() if preview is not None and form.is_valid() else {}
    merged = submit(
        request, form, lambda _data: services.customer_merge(by=request.user, **arguments)
    )
    if merged is not None:
        source, target = arguments["source"], arguments["target"]
        messages.success(
            request,
            _(
                "%(merged)s (no. %(merged_pk)s) was merged into %(survivor)s "
                "(no. %(survivor_pk)s), which keeps the records of both."
            )
            % {
                "merged": source.name,
                "merged_pk": source.pk,
                "survivor": target.name,
                "survivor_pk": target.pk,
            },
        )
        return redirect("customers:detail", pk=target.pk)
    return _render_merge(
        request, customer, other=other, form=form, preview=preview, status=refused_status(form)
    )


@login_required
def duplicates(request):
    if not selectors.can_read_customers(request.user):
        raise RoleRequired(_("Your role does not give access to customer records."))
    return render(
        request,
        "customers/duplicates.html",
        {
            "title": _("Possible duplicates"),
            "breadcrumbs": _crumbs((_("Possible duplicates"), None)),
            "pairs": selectors.duplicate_pairs(request.user),
            "can_merge": request.user.scope.has_role("company_crm"),
        },
    )


@login_required
def lifecycle(request):
    if not selectors.can_read_customers(request.user):
        raise RoleRequired(_("Your role does not give access to customer records."))
    return render(
        request,
        "customers/lifecycle.html",
        {
            "title": _("6+2 service steps by project"),
            "breadcrumbs": _crumbs((_("6+2 overview"), None)),
            "rows": selectors.lifecycle_overview(request.user),
            "steps": [label for _value, label in Customer._meta.get_field("step").choices],
        },
    )


@login_required
def revisits(request):
    if not selectors.can_read_customers(request.user):
        raise RoleRequired(_("Your role does not give access to customer records."))
    rows = (
        RevisitTask.objects.for_user(request.user)
        .filter(status=RevisitTask.Status.OPEN)
        .select_related("customer", "ownership__unit__building__project")
        .order_by("due_on")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/revisits.html",
        {
            "title": _("Four-year revisits due (四年之约)"),
            "breadcrumbs": _crumbs((_("Four-year revisits"), None)),
            "page_obj": page,
        },
    )


@login_required
def revisit_record(request, pk):
    task = get_object_or_404(
        RevisitTask.objects.for_user(request.user).select_related("customer", "ownership__unit"),
        pk=pk,
    )
    form = RevisitForm(request.POST or None)
    recorded = submit(
        request,
        form,
        lambda data: services.revisit_record(task=task, by=request.user, note=data["note"]),
    )
    if recorded is not None:
        messages.success(request, _("Revisit recorded."))
        return redirect("customers:detail", pk=task.customer_id)
    return render(
        request,
        "customers/revisit_form.html",
        {
            "title": _("Record the revisit of %(name)s") % {"name": task.customer.name},
            "breadcrumbs": _crumbs(
                (_("Four-year revisits"), reverse("customers:revisits")), (task.customer.name, None)
            ),
            "form": form,
            "task": task,
        },
        status=refused_status(form),
    )


urlpatterns = [
    path("<int:pk>/units/add/", ownership_add, name="ownership_add"),
    path("ownership/<int:pk>/", ownership_detail, name="ownership"),
    path("cancellations/", cancellations_pending, name="cancellations"),
    path("<int:pk>/merge/", merge_start, name="merge_start"),
    path("<int:pk>/merge/<int:other_pk>/", merge_confirm, name="merge_confirm"),
    path("duplicates/", duplicates, name="duplicates"),
    path("lifecycle/", lifecycle, name="lifecycle"),
    path("revisits/", revisits, name="revisits"),
    path("revisits/<int:pk>/", revisit_record, name="revisit_record"),
]
