"""Staff pages: customer list and search, visit registration, customer 360, edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.models import Company
from org.scoping import OutOfScope, RoleRequired
from vanke_crm import listcache
from vanke_crm.pages import act, htmx_partial, refused_status, submit
from vanke_crm.paging import Paginator

from .. import selectors, services
from ..filters import CustomerFilter
from ..forms import CustomerForm, VisitForm
from ..models import Customer, LifecycleStep, WorkPoint
from ..search import looks_like_id_number
from ..services.access import APPROVERS, WRITERS, can_reveal_id_numbers
from ..timeline import timeline_for
from ..workpoints import label_of


def _crumbs(*extra):
    return [(_("Customers"), reverse("customers:list")), *extra]


def _options(choices, selected) -> list:
    """(value, label, selected) for a filter's <select>."""
    return [(value, label, str(value) in selected) for value, label in choices]


@login_required
def customer_list(request):
    user = request.user
    selectors.require_customer_reader(user)
    # "All steps" etc. submit empty values; they mean "no filter", not a bad choice.
    data = request.GET.copy()
    for key in list(data):
        kept = [value for value in data.getlist(key) if value.strip()]
        if kept:
            data.setlist(key, kept)
        else:
            del data[key]
    query = request.GET.copy()
    query.pop("page", None)

    def results():
        base = selectors.customer_list(user)
        filterset = CustomerFilter(data or None, queryset=base, request=request)
        ignored = []
        if filterset.is_bound and not filterset.is_valid():
            fields = filterset.form.fields
            ignored = [str(fields[f].label) for f in filterset.form.errors if f in fields]
            queryset = base
        else:
            queryset = filterset.qs if filterset.is_bound else base
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        page.object_list = selectors.attach_units(page.object_list)
        html = render_to_string(
            "customers/partials/list_results.html",
            {
                "page_obj": page,
                "query_string": query.urlencode(),
                "detail_prefix": reverse("customers:detail", args=[0])[: -len("0/")],
                "sees_all": user.scope.sees_all,
                "can_search_id": can_reveal_id_numbers(user),
                "searched_id": looks_like_id_number(request.GET.get("q", "")),
            },
        )
        return html, ignored

    # The results are the same for everyone with this scope until a customer of these
    # companies changes (vanke_crm.listcache): most requests only render the shell.
    companies = listcache.companies_of(user)
    html, ignored = listcache.cached(request, "customers:list", companies=companies, build=results)
    if ignored:
        # Say so rather than quietly showing everything as if the filter applied.
        messages.warning(
            request,
            _("Some filters were not understood and were ignored: %(names)s")
            % {"names": ", ".join(ignored)},
        )
    if request.htmx:
        return HttpResponse(html)
    projects = listcache.cached(
        request,
        "customers:list-projects",
        companies=companies,
        build=lambda: [(p.pk, str(p)) for p in selectors.list_projects(user)],
        vary_on_query=False,
    )
    context = {
        "title": _("Customers"),
        "breadcrumbs": [(_("Customers"), None)],
        "q": data.get("q", ""),
        "steps": _options(LifecycleStep.choices, data.getlist("step")),
        "kinds": _options(Customer.Kind.choices, data.getlist("kind")),
        "projects": _options(projects, data.getlist("project")),
        "query_string": query.urlencode(),
        "results": html,
        "can_write": user.scope.has_role("company_crm"),
        "can_search_id": can_reveal_id_numbers(user),
        "can_decide_cancellations": user.scope.has_role(*APPROVERS),
    }
    return render(request, "customers/list.html", context)


@login_required
def visit_register(request):
    if not request.user.scope.has_role("company_crm"):
        raise RoleRequired(_("Only customer-relations staff may register visits."))
    project = request.GET.get("project") or selectors.default_visit_project(request.user)
    form = VisitForm(request.POST or None, user=request.user, initial={"project": project})
    result = submit(
        request, form, lambda data: services.visit_register(by=request.user, **_visit_data(data))
    )
    if result is not None:
        if result.is_new_customer:
            messages.success(
                request,
                _(
                    "New prospect %(name)s registered, handed to the club and sent the risk "
                    "disclosure."
                )
                % {"name": result.customer.name},
            )
        else:
            messages.success(
                request,
                _("Visit added to the existing customer %(name)s.")
                % {"name": result.customer.name},
            )
        return redirect("customers:detail", pk=result.customer.pk)
    return render(
        request,
        "customers/visit_form.html",
        {
            "title": _("Register a visit"),
            "breadcrumbs": _crumbs((_("Register a visit"), None)),
            "form": form,
        },
        status=refused_status(form),
    )


VISIT_FIELDS = ("project", "name", "mobile", "source", "needs", "companions", "companions_note")


def _visit_data(data) -> dict:
    return {name: data[name] for name in VISIT_FIELDS}


@login_required
def customer_detail(request, pk):
    customer = selectors.customer_detail(request.user, pk)
    if customer.merged_into_id:
        messages.info(
            request, _("This record was merged; showing the customer it was merged into.")
        )
        return redirect("customers:detail", pk=customer.merged_into_id)
    points = list(selectors.checklist(customer))
    for point in points:
        point.display_label = label_of(point)
    return render(
        request,
        "customers/detail.html",
        {
            "title": customer.name,
            "breadcrumbs": _crumbs((customer.name, None)),
            "customer": customer,
            "ownerships": customer.ownerships.all(),
            "timeline": timeline_for(customer),
            "checklist": points,
            "can_write": request.user.scope.has_role("company_crm", company_id=customer.company_id),
            "can_reveal": can_reveal_id_numbers(request.user) and bool(customer.id_number),
            "can_open_ownerships": request.user.scope.has_role(
                *WRITERS, *APPROVERS, company_id=customer.company_id
            ),
        },
    )


@login_required
def customer_create(request):
    company = _company_for_create(request)
    form = CustomerForm(request.POST or None, company=company)

    def create(data):
        data = dict(data)
        tags = list(data.pop("tags") or [])
        return services.customer_create(company=company, by=request.user, tags=tags, **data)

    customer = submit(request, form, create)
    if customer is not None:
        messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
        return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/form.html",
        {
            "title": _("New customer"),
            "breadcrumbs": _crumbs((_("New customer"), None)),
            "form": form,
            "company": company,
        },
        status=refused_status(form),
    )


def _company_for_create(request):
    scope = request.user.scope
    wanted = request.GET.get("company") or request.POST.get("company")
    ids = sorted(scope.companies_with("company_crm")) if not scope.sees_all else None
    if wanted:
        if not str(wanted).isdigit():
            raise OutOfScope()
        company = get_object_or_404(Company.objects.for_user(request.user), pk=wanted)
    elif ids:
        company = Company.objects.get(pk=ids[0])
    else:
        company = Company.objects.order_by("code").first()
    if company is None:
        raise OutOfScope()
    if not scope.has_role("company_crm", company_id=company.pk):
        raise RoleRequired(_("Only customer-relations staff may change customer data."))
    return company


@login_required
def customer_edit(request, pk):
    customer = selectors.customer_detail(request.user, pk)
    if not request.user.scope.has_role("company_crm", company_id=customer.company_id):
        raise RoleRequired(_("Only customer-relations staff may change customer data."))
    form = CustomerForm(
        request.POST or None,
        instance=customer,
        company=customer.company,
        may_replace_id=can_reveal_id_numbers(request.user),
    )

    def update(data):
        data = dict(data)
        tags = list(data.pop("tags") or [])
        if not data.get("id_number"):
            data.pop("id_number", None)  # blank keeps the stored number
        return services.customer_update(customer=customer, by=request.user, tags=tags, **data)

    if submit(request, form, update) is not None:
        messages.success(request, _("Changes saved."))
        return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/form.html",
        {
            "title": _("Edit %(name)s") % {"name": customer.name},
            "breadcrumbs": _crumbs(
                (customer.name, reverse("customers:detail", args=[pk])), (_("Edit"), None)
            ),
            "form": form,
            "customer": customer,
            "company": customer.company,
        },
        status=refused_status(form),
    )


@login_required
@require_POST
def workpoint_toggle(request, pk, point_pk):
    customer = selectors.customer_detail(request.user, pk)
    point = get_object_or_404(WorkPoint, pk=point_pk)
    untick = request.POST.get("done") == "0"
    change = services.workpoint_untick if untick else services.workpoint_tick
    _result, status = act(
        request, lambda: change(customer=customer, work_point=point, by=request.user)
    )
    if request.htmx:
        points = list(selectors.checklist(customer))
        for p in points:
            p.display_label = label_of(p)
        return htmx_partial(
            request,
            "customers/detail.html#checklist",
            {"customer": customer, "checklist": points, "can_write": True},
            status=status,
        )
    return redirect("customers:detail", pk=pk)


@login_required
@require_POST
def id_reveal(request, pk):
    customer = selectors.customer_detail(request.user, pk)
    number = services.id_number_reveal(customer=customer, by=request.user)
    return render(request, "customers/partials/id_number.html", {"number": number})


def _ownership_events(customer) -> list:
    """Each transition of the customer's units (contract, handover, cancellation …)."""
    from audit.selectors import state_events_for
    from vanke_crm.transitions import history_entries

    ownerships = {o.pk: o for o in customer.ownerships.select_related("unit__building__project")}
    events = state_events_for(customer, also=ownerships.values())

    def subject(record_id, model):
        own = ownerships.get(record_id)
        return f"{own.unit.building.project.name} {own.unit.code}" if own else ""

    return history_entries(events, subject=subject)


@login_required
def customer_history(request, pk):
    customer = selectors.customer_detail(request.user, pk)
    from audit.selectors import history_for

    from ..validators import mask_id_number

    # Masked for everyone: a full number (today's or an earlier one) is seen only
    # through the recorded reveal.
    entries = history_for(customer, mask={"id_number": mask_id_number})
    entries += _ownership_events(customer)
    entries.sort(key=lambda e: e.when, reverse=True)
    reveals = customer.id_reveals.select_related("by")[:50]
    context = {"entries": entries, "reveals": reveals, "customer": customer}
    if request.htmx:  # the History tab of the customer page
        return render(request, "customers/partials/history.html", context)
    # Opened on its own (new tab, no JavaScript): a whole page.
    url = reverse("customers:detail", args=[customer.pk])
    context |= {
        "title": _("History of %(name)s") % {"name": customer.name},
        "breadcrumbs": _crumbs((customer.name, url), (_("History"), None)),
    }
    return render(request, "customers/history.html", context)


urlpatterns = [
    path("", customer_list, name="list"),
    path("new/", customer_create, name="create"),
    path("visit/", visit_register, name="visit_register"),
    path("<int:pk>/", customer_detail, name="detail"),
    path("<int:pk>/edit/", customer_edit, name="edit"),
    path("<int:pk>/history/", customer_history, name="history"),
    path("<int:pk>/reveal-id/", id_reveal, name="id_reveal"),
    path("<int:pk>/work-points/<int:point_pk>/", workpoint_toggle, name="workpoint_toggle"),
]
