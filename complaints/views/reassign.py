"""Customer relations give a task to someone else (转派) or split it into a part per
trade (拆分), each part to a department or handler with its deadline. Reached from the
case page's task rows (and the task page), since customer relations work the case and
the handler on the task page only sends a task back; the services decide who may."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from vanke_crm.errors import IllegalTransition
from vanke_crm.pages import refused_status, staff_view, submit
from vanke_crm.transitions import ensure_possible

from .. import selectors, services
from ..forms import SPLIT_MAX_PARTS, SplitForm, TransferForm, typed_parts
from ..services.access import access_case_write
from ..services.tasks import departments_of, handlers_of


def _recipients(case) -> dict:
    from accounts.models import User

    handlers = User.objects.filter(
        pk__in=handlers_of(case.company).values("user"), is_active=True
    ).order_by("name", "username")
    return {"departments": departments_of(case.company), "handlers": handlers}


def _not_now(request, task, action):
    """A task the user may not split or transfer: the 403 page for the wrong role; for
    a task past that point (at work, done) the reason on the case page."""
    try:
        ensure_possible(task, action, by=request.user)
    except IllegalTransition as exc:
        messages.error(request, str(exc))
        return redirect("complaints:case", pk=task.case_id)
    return None


def _page(request, task, template, form, *, title, status=200):
    case = task.case
    return render(
        request,
        template,
        {
            "title": title,
            "breadcrumbs": [
                (_("Cases"), reverse("complaints:queue")),
                (case.number, reverse("complaints:case", args=[case.pk])),
                (title, None),
            ],
            "task": task,
            "case": case,
            "form": form,
            "max_parts": SPLIT_MAX_PARTS,
        },
        status=status,
    )


@staff_view
def task_transfer(request, pk):
    task = selectors.task_detail(request.user, pk)
    access_case_write(request.user, task.case.company_id)  # the 403 page, before any form
    if request.method != "POST" and (refusal := _not_now(request, task, "transfer")):
        return refusal
    form = TransferForm(
        request.POST if request.method == "POST" else None,
        initial={"department": task.department_id},
        **_recipients(task.case),
    )
    made = submit(
        request,
        form,
        lambda data: services.task_transfer(
            task=task,
            by=request.user,
            department=data["department"],
            assignee=data["assignee"],
            due_at=data["due_at"],
            reason=data["reason"],
        ),
    )
    if made is not None:
        messages.success(request, _("The task is transferred."))
        return redirect("complaints:case", pk=task.case_id)
    return _page(
        request,
        task,
        "complaints/task_transfer.html",
        form,
        title=_("Transfer the task"),
        status=refused_status(form),
    )


@staff_view
def task_split(request, pk):
    task = selectors.task_detail(request.user, pk)
    access_case_write(request.user, task.case.company_id)  # the 403 page, before any form
    title = _("Split the task by trade")
    recipients = _recipients(task.case)
    if request.method != "POST":
        if refusal := _not_now(request, task, "split"):
            return refusal
        form = SplitForm(initial={"instructions": task.instructions}, **recipients)
        return _page(request, task, "complaints/task_split.html", form, title=title)
    if "add_part" in request.POST:  # one more row; what was typed is shown again
        typed = typed_parts(request.POST)
        form = SplitForm(
            initial={"instructions": request.POST.get("instructions", "")},
            typed=typed,
            rows=len(typed) + 1,
            **recipients,
        )
        return _page(request, task, "complaints/task_split.html", form, title=title)
    form = SplitForm(request.POST, **recipients)
    made = submit(
        request,
        form,
        lambda data: services.task_split(
            task=task,
            by=request.user,
            parts=[{**part, "instructions": data["instructions"]} for part in data["parts"]],
        ),
    )
    if made is not None:
        messages.success(request, _("The task is split into %(n)s parts.") % {"n": len(made)})
        return redirect("complaints:case", pk=task.case_id)
    return _page(
        request, task, "complaints/task_split.html", form, title=title, status=refused_status(form)
    )


urlpatterns = [
    path("tasks/<int:pk>/transfer/", task_transfer, name="task_transfer"),
    path("tasks/<int:pk>/split/", task_split, name="task_split"),
]
