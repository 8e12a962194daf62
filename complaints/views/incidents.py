"""Group complaints (群诉) on the pages: the list, one incident with its complainants
and the cases suggested for it, and the panel of the case page (make a group complaint
from this case, link the suggested cases, the group complaint it belongs to)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.scoping import RoleRequired
from vanke_crm.pages import act, htmx_partial, paginate, staff_view

from .. import incidents as selectors
from .. import selectors as case_selectors
from ..models import Case
from ..services import incidents as services

PANEL = "complaints/partials/incident_panel.html"


def _case_in_scope(request):
    """The case named by the POST's `case`: one the user may read, else 404."""
    pk = request.POST.get("case", "")
    return get_object_or_404(Case.objects.for_user(request.user), pk=pk if pk.isdigit() else 0)


@staff_view
def incident_list(request):
    if not case_selectors.can_read_queue(request.user):
        raise RoleRequired(_("Your role does not give access to the case queue."))
    page_obj = paginate(request, selectors.incident_list(request.user))
    return render(
        request,
        "complaints/incidents.html",
        {
            "title": _("Group complaints"),
            "breadcrumbs": [
                (_("Cases"), reverse("complaints:queue")),
                (_("Group complaints"), None),
            ],
            "page_obj": page_obj,
            "query_string": "",
        },
    )


def _incident_context(request, incident) -> dict:
    writer = selectors.may_write(request.user, incident.company_id)
    is_open = incident.lead_case.status in selectors.OPEN_WORK
    return {
        "title": f"{incident.number} · {incident.title}",
        "breadcrumbs": [
            (_("Cases"), reverse("complaints:queue")),
            (_("Group complaints"), reverse("complaints:incidents")),
            (incident.number, None),
        ],
        "incident": incident,
        "members": list(selectors.incident_members(incident)),
        "suggestions": list(selectors.incident_suggestions(incident)) if writer and is_open else [],
        "window_days": selectors.window_days(incident.company_id),
        "can_write": writer,
        "is_open": is_open,
    }


@staff_view
def incident_detail(request, pk):
    incident = selectors.incident_detail(request.user, pk)
    return render(request, "complaints/incident.html", _incident_context(request, incident))


@staff_view
@require_POST
def incident_link(request, pk):
    incident = selectors.incident_detail(request.user, pk)
    case = _case_in_scope(request)
    act(
        request,
        lambda: services.incident_link(incident=incident, case=case, by=request.user),
        done=_("Case %(number)s is linked to the group complaint.") % {"number": case.number},
    )
    return redirect("complaints:incident", pk=pk)


@staff_view
@require_POST
def incident_unlink(request, pk):
    incident = selectors.incident_detail(request.user, pk)
    case = _case_in_scope(request)
    act(
        request,
        lambda: services.incident_unlink(incident=incident, case=case, by=request.user),
        done=_("Case %(number)s is taken out of the group complaint.") % {"number": case.number},
    )
    return redirect("complaints:incident", pk=pk)


# --- the case page's panel -------------------------------------------------------------


def _panel_context(request, case) -> dict:
    writer = selectors.may_write(request.user, case.company_id)
    incident = selectors.incident_of(case)
    is_open = incident is not None and incident.lead_case.status in selectors.OPEN_WORK
    return {
        "case": case,
        "incident": incident,
        "is_lead": incident is not None and incident.lead_case_id == case.pk,
        "can_create": writer and incident is None and case.status in selectors.OPEN_WORK,
        "can_link": writer and is_open,
        "suggestions": list(selectors.incident_suggestions(incident)) if writer and is_open else [],
    }


def _panel(request, case, *, status=200):
    context = _panel_context(request, case)
    if request.htmx:
        return htmx_partial(request, PANEL, context, status=status)
    if request.method == "POST":
        return redirect("complaints:case", pk=case.pk)
    context["title"] = _("Group complaint of case %(number)s") % {"number": case.number}
    context["breadcrumbs"] = [
        (_("Cases"), reverse("complaints:queue")),
        (case.number, reverse("complaints:case", args=[case.pk])),
        (_("Group complaint"), None),
    ]
    return render(request, "complaints/incident_panel_page.html", context, status=status)


@staff_view
def case_incident(request, pk):
    """GET: the panel. POST: make a group complaint with this case as its lead."""
    case = case_selectors.case_detail(request.user, pk)
    status = 200
    if request.method == "POST":
        _result, status = act(
            request,
            lambda: services.incident_create(case=case, by=request.user),
            done=_("A group complaint is made with this case as its lead."),
        )
        case = case_selectors.case_detail(request.user, pk)
    return _panel(request, case, status=status)


@staff_view
@require_POST
def case_incident_link(request, pk):
    """Link a suggested case to the group complaint of this case."""
    case = case_selectors.case_detail(request.user, pk)
    other = _case_in_scope(request)
    _result, status = act(
        request,
        lambda: services.incident_link(incident=case.incident, case=other, by=request.user),
        done=_("Case %(number)s is linked to the group complaint.") % {"number": other.number},
    )
    return _panel(request, case, status=status)


urlpatterns = [
    path("incidents/", incident_list, name="incidents"),
    path("incidents/<int:pk>/", incident_detail, name="incident"),
    path("incidents/<int:pk>/link/", incident_link, name="incident_link"),
    path("incidents/<int:pk>/unlink/", incident_unlink, name="incident_unlink"),
    path("cases/<int:pk>/incident/", case_incident, name="case_incident"),
    path("cases/<int:pk>/incident/link/", case_incident_link, name="case_incident_link"),
]
