"""The handler's pages, phone first: my tasks, and one task with its buttons (accept,
start, add a photo, done with a note, send back with a reason)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.phone import mask_mobile
from vanke_crm.pages import action_cards, posted_action, refused_status, staff_view, submit
from vanke_crm.transitions import available_actions

from .. import selectors, services
from ..forms import TASK_ACTION_FORMS, PhotoForm
from ..models import Task

# Dispatchers' actions, run from their own forms (views/reassign.py).
NOT_A_BUTTON = {"split", "transfer"}


@staff_view
def my_tasks(request):
    done = request.GET.get("done") == "1"
    return render(
        request,
        "complaints/my_tasks.html",
        {
            "title": _("My tasks"),
            "tasks": selectors.first_tasks(request.user, done=done),
            "done": done,
        },
    )


def _render(request, task, *, posted="", posted_form=None, photo_form=None, status=200):
    cards = action_cards(
        request, task, TASK_ACTION_FORMS, skip=NOT_A_BUTTON, posted=posted, posted_form=posted_form
    )
    # Customer relations open the task too: its transfer and split are forms of their own.
    reassign = [
        (rule, reverse(f"complaints:task_{rule.action}", args=[task.pk]))
        for rule in available_actions(task, request.user)
        if rule.action in NOT_A_BUTTON
    ]
    case = task.case
    mobile = case.customer.mobile if case.customer_id else case.caller_mobile
    return render(
        request,
        "complaints/task.html",
        {
            "title": case.title,
            "breadcrumbs": [(_("My tasks"), reverse("complaints:my_tasks")), (case.number, None)],
            "task": task,
            "case": case,
            "caller": case.customer.name if case.customer_id else case.caller_name,
            "mobile": mask_mobile(mobile),
            "cards": cards,
            "reassign": reassign,
            "posted_form": posted_form,
            "photos": selectors.task_photos(task),
            "photo_form": (photo_form or PhotoForm()) if task.status in Task.OPEN else None,
        },
        status=status,
    )


@staff_view
def task_detail(request, pk):
    task = selectors.task_detail(request.user, pk)
    return posted_action(
        request,
        forms=TASK_ACTION_FORMS,
        run=lambda action, **data: services.task_act(
            task=task, action=action, by=request.user, **data
        ),
        done_url=reverse("complaints:task", args=[pk]),
        refused=lambda posted, form, status: _render(
            request,
            selectors.task_detail(request.user, pk),  # as it is now, after the refusal
            posted=posted,
            posted_form=form,
            status=status,
        ),
    ) or _render(request, task)


@staff_view
@require_POST
def task_photo(request, pk):
    task = selectors.task_detail(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    added = submit(
        request,
        form,
        lambda data: services.task_photo_add(task=task, by=request.user, upload=data["photo"]),
    )
    if added is not None:
        messages.success(request, _("Photo added."))
        return redirect("complaints:task", pk=pk)
    return _render(request, task, photo_form=form, status=refused_status(form))


urlpatterns = [
    path("tasks/", my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", task_detail, name="task"),
    path("tasks/<int:pk>/photos/", task_photo, name="task_photo"),
]
