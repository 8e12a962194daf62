"""The handler's side of the complaints pages: the tasks sent to them (and to their
departments), one task, its photos."""

from django.shortcuts import get_object_or_404

from org.models import Role

from ..models import Attachment, Task


def first_tasks(user, *, done: bool = False, limit: int = 100) -> list:
    """The first `limit` tasks of the user's list by deadline, loaded: those sent to
    them and the unassigned ones of their departments, open (or `done`). Read as two
    walks along an index in deadline order, one for each, merged here; the rows are
    then loaded
    through the one scoping (`for_user`), which drops anything not the user's. As one
    query, the OR of the two made PostgreSQL join and sort every open task of a busy
    handler (5,000 in the benchmark) on every page."""
    statuses = (Task.Status.DONE,) if done else Task.OPEN
    departments = user.memberships.filter(
        is_active=True, role=Role.HANDLER, department__isnull=False
    ).values("department")
    parts = (
        Task.objects.filter(assignee=user, status__in=statuses),
        Task.objects.filter(assignee__isnull=True, department__in=departments, status__in=statuses),
    )
    keys = sorted(
        {
            key
            for part in parts
            for key in part.order_by("due_at", "pk").values_list("due_at", "pk")[:limit]
        }
    )[:limit]
    ids = [pk for _due, pk in keys]
    rows = (
        Task.objects.for_user(user)
        .filter(pk__in=ids)
        .select_related("case__unit", "case__project")  # a unit's project is the case's
        .only(
            "status",
            "due_at",
            "case__number",
            "case__title",
            "case__unit__code",
            "case__project__name",
        )
    )
    found = {task.pk: task for task in rows}
    return [found[pk] for pk in ids if pk in found]


def task_detail(user, pk) -> Task:
    """A task the user may see (a handler: only those sent to them), else 404."""
    return get_object_or_404(
        Task.objects.for_user(user).select_related(
            "case__company",
            "case__unit__building__project",
            "case__project",
            "case__customer",
            "department",
            "assignee",
        ),
        pk=pk,
    )


def task_photos(task):
    return Attachment.objects.filter(task=task).select_related("uploaded_by")
