"""The case page: everything about the case, its tasks, photos, history and notes, the
action buttons the transition table allows and the dispatch form."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.models import Role
from vanke_crm import listcache
from vanke_crm.pages import action_cards, posted_action, refused_status, staff_view, submit
from vanke_crm.transitions import workflow_for

from .. import caching, selectors, services
from ..forms import CASE_ACTION_FORMS, DispatchForm, NoteForm
from ..models import Task
from ..services.incidents import handled_here
from ..services.tasks import departments_of, handlers_of

# Run by the task's own start, or through the dispatch form: never a button here.
NOT_A_BUTTON = {"start", "dispatch"}


def _dispatch_form(case, data=None):
    from accounts.models import User

    handlers = User.objects.filter(
        pk__in=handlers_of(case.company_id).values("user"), is_active=True
    ).order_by("name", "username")
    form = DispatchForm(data, departments=departments_of(case.company_id), handlers=handlers)
    if data is None:
        # Drawn on the page of every open case: the company's departments and handlers
        # from the cache (complaints/caching.py, PEOPLE); what is posted is checked
        # against the querysets.
        def build():
            return {
                name: [(str(value), str(label)) for value, label in form.fields[name].choices]
                for name in ("department", "assignee")
            }

        choices = listcache.cached_parts(
            "complaints:dispatch", record=(caching.PEOPLE, case.company_id), build=build
        )
        for name, options in choices.items():
            form.fields[name].choices = options
    return form


def _with_reassign(tasks, writer) -> list:
    """Each task's transfer and split links (the transitions its state allows, for
    customer relations), and a split task marked as split rather than cancelled."""
    workflow = workflow_for(Task)
    offers = [workflow.by_action[action] for action in ("transfer", "split")]
    split = {t.parent_id for t in tasks if t.parent_id}
    for t in tasks:
        t.reassign = [
            (r, reverse(f"complaints:task_{r.action}", args=[t.pk]))
            for r in offers
            if writer and t.status in r.source
        ]
        t.split_label = workflow.label_of_action("split") if t.pk in split else ""
    return tasks


def _may_write(user, case) -> bool:
    return user.scope.has_role(Role.COMPANY_CRM, company_id=case.company_id)


def _parts(case, writer) -> dict:
    """The page's read-only parts (tasks, photos, notes, history), cached under the
    case's version (complaints/caching.py): any write to the case, its tasks, notes or
    photos, or an event on them, moves it on, so the next request builds them again.
    What moves with the clock (the SLA countdown) and the forms are drawn each time."""

    def build():
        tasks = _with_reassign(list(selectors.task_rows(case)), writer)
        events = selectors.case_history(case, tasks)
        return {
            "tasks": render_to_string(
                "complaints/case/_tasks.html",
                {"tasks": tasks, "reassigning": any(t.reassign for t in tasks)},
            ),
            "photos_notes": render_to_string(
                "complaints/case/_photos_notes.html",
                {"photos": selectors.case_photos(case), "notes": selectors.case_notes(case)},
            ),
            "history": render_to_string("complaints/case/_history.html", {"events": events}),
            "reopened_to": selectors.reopened_to(case, events),
        }

    return listcache.cached_parts(
        "complaints:case", record=(caching.KIND, case.pk), build=build, extra=(writer,)
    )


def _render(request, case, *, posted="", posted_form=None, dispatch=None, note=None, status=200):
    user = request.user
    writer = _may_write(user, case)
    cards = (
        action_cards(
            request,
            case,
            CASE_ACTION_FORMS,
            skip=NOT_A_BUTTON,
            posted=posted,
            posted_form=posted_form,
        )
        if writer
        else []
    )
    if not writer and posted_form is not None:
        for error in posted_form.non_field_errors():
            messages.error(request, error)
    may_dispatch = (
        writer
        and case.status in ("received", "accepted", "dispatched", "in_progress", "reopened")
        and handled_here(case)  # a group complaint's member is dispatched on its lead
    )
    return render(
        request,
        "complaints/case.html",
        {
            "title": f"{case.number} · {case.title}",
            "breadcrumbs": [(_("Cases"), reverse("complaints:queue")), (case.number, None)],
            "case": case,
            "countdown": selectors.sla_countdown(case),
            "parts": _parts(case, writer),
            "cards": cards,
            "posted_form": posted_form,
            "dispatch_form": (dispatch or _dispatch_form(case)) if may_dispatch else None,
            "note_form": note or NoteForm(),
        },
        status=status,
    )


@staff_view
def case_detail(request, pk):
    case = selectors.case_page(request.user, pk)
    return posted_action(
        request,
        forms=CASE_ACTION_FORMS,
        run=lambda action, **data: services.case_act(
            case=case, action=action, by=request.user, **data
        ),
        done_url=reverse("complaints:case", args=[pk]),
        refused=lambda posted, form, status: _render(
            request,
            selectors.case_page(request.user, pk),  # as it is now, after the refusal
            posted=posted,
            posted_form=form,
            status=status,
        ),
    ) or _render(request, case)


@staff_view
@require_POST
def case_dispatch(request, pk):
    case = selectors.case_detail(request.user, pk)
    form = _dispatch_form(case, request.POST)

    def run(data):
        return services.case_dispatch(
            case=case,
            by=request.user,
            department=data["department"],
            assignee=data["assignee"],
            due_at=data["due_at"],
            trade=data["trade"],
            instructions=data["instructions"],
        )

    if submit(request, form, run) is not None:
        messages.success(request, _("The task is sent."))
        return redirect("complaints:case", pk=pk)
    case = selectors.case_page(request.user, pk)
    return _render(request, case, dispatch=form, status=refused_status(form))


@staff_view
@require_POST
def case_note(request, pk):
    case = selectors.case_page(request.user, pk)
    form = NoteForm(request.POST)
    if (
        submit(
            request,
            form,
            lambda data: services.case_note_add(case=case, by=request.user, text=data["text"]),
        )
        is not None
    ):
        messages.success(request, _("Note added."))
        return redirect("complaints:case", pk=pk)
    return _render(request, case, note=form, status=refused_status(form))


urlpatterns = [
    path("cases/<int:pk>/", case_detail, name="case"),
    path("cases/<int:pk>/dispatch/", case_dispatch, name="case_dispatch"),
    path("cases/<int:pk>/notes/", case_note, name="case_note"),
]
