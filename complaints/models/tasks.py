"""A task (派单): the work a case sends to a department, a handler or a contractor,
with its own deadline; tasks can be split into sub-tasks per trade, transferred and
sent back. Handlers see only the tasks sent to them (`scope_for_user`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Role
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .cases import Case
from .categories import Trade

OPEN_STATUSES = ["sent", "accepted", "in_progress"]  # Task.OPEN, for the partial indexes

TASK_READERS = (Role.COMPANY_CRM, Role.MANAGER, Role.HANDLER)


class Task(TimeStamped):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        SENT_BACK = "sent_back", _("Sent back")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtasks",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    trade = models.CharField(_("trade"), max_length=16, choices=Trade.choices, blank=True)
    instructions = models.TextField(_("instructions"), max_length=2000, blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), max_length=4000, blank=True)
    sent_back_reason = models.TextField(_("why it was sent back"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="tasks_dispatched",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical task"),
    )
    scope_company_path = "case__company"
    scope_read_roles = TASK_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="task_handler_queue"),
            models.Index(fields=["department", "status", "due_at"], name="task_department_queue"),
            # A handler's open tasks by deadline (selectors/handler.py first_tasks): sent to them,
            # and their departments' unassigned ones, each read in order and stopped.
            models.Index(
                fields=["assignee", "due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="task_open_mine",
            ),
            models.Index(
                fields=["department", "due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES, assignee__isnull=True),
                name="task_open_pool",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(assignee__isnull=False),
                name="task_has_someone",
            )
        ]

    def __str__(self):
        return f"{self.case.number} · {self.get_status_display()}"

    @classmethod
    def scope_for_user(cls, queryset, user):
        """A handler (without a CRM or manager role) sees the tasks sent to them and the
        unassigned tasks of their departments; nothing of other handlers' work."""
        scope = user.scope
        if scope.sees_all:
            return queryset
        supervised = [
            company
            for company, roles in scope.roles_by_company.items()
            if roles & {Role.COMPANY_CRM, Role.MANAGER}
        ]
        departments = user.memberships.filter(
            is_active=True, role=Role.HANDLER, department__isnull=False
        ).values("department")
        return queryset.filter(
            Q(case__company__in=supervised)
            | Q(assignee=user)
            | Q(assignee__isnull=True, department__in=departments)
        )


class Attachment(TimeStamped):
    """A photo of a case or task: checked by content, re-encoded without its EXIF data
    and stored under a random name (vanke_crm.images)."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("From the owner")
        BEFORE = "before", _("Before the repair")
        AFTER = "after", _("After the repair")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.ImageField(_("photo"), upload_to="cases/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="case_attachments",
    )

    scope_company_path = "case__company"
    scope_read_roles = TASK_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]
