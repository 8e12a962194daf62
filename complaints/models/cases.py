"""A case (工单): a complaint, consultation, suggestion, repair request or praise from
any channel, its deadlines and its escalation (DOMAIN §3). Its life cycle is the
transition table in complaints/services/workflow.py; every step is an audit.StateEvent."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Role
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .categories import Category

CASE_READERS = (Role.COMPANY_CRM, Role.MANAGER)  # handlers read tasks, not the queue


# Case.OPEN as plain values, for the partial indexes of the queue (a class's Meta
# cannot read the class's own attributes); tests/complaints/test_queue_plans.py checks
# that the two agree.
OPEN_STATUSES = [
    "received",
    "accepted",
    "dispatched",
    "in_progress",
    "resolved",
    "awaiting_visit",
    "reopened",
]
# Case.WORKING: the resolution clock runs (a reopened case's from its reopening).
WORKING_STATUSES = ["received", "accepted", "dispatched", "in_progress", "reopened"]


class Case(TimeStamped):
    class Type(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        CONSULTATION = "consultation", _("Consultation")
        SUGGESTION = "suggestion", _("Suggestion")
        REPAIR = "repair", _("Repair request")
        PRAISE = "praise", _("Praise")

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        WALK_IN = "walk_in", _("Walk-in")
        FORUM = "forum", _("Public forum")
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Owner portal")
        INSPECTION = "inspection", _("Inspection defect")
        RETURN_VISIT = "return_visit", _("Return visit")
        SURVEY = "survey", _("Survey detractor")

    class Severity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        SERIOUS = "serious", _("Serious")
        GROUP = "group", _("Group complaint")

    class Status(models.TextChoices):
        # "Received" alone is the time a message arrived (通知的接收时间).
        RECEIVED = "received", pgettext_lazy("case status", "Received")
        ACCEPTED = "accepted", _("Accepted")
        DISPATCHED = "dispatched", _("Dispatched")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        AWAITING_VISIT = "awaiting_visit", _("Awaiting return visit")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.AWAITING_VISIT,
        Status.REOPENED,
    )
    WORKING = (
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.REOPENED,
    )

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("Not escalated")
        COMPANY = 1, _("Escalated to the company CRM manager")
        GROUP = 2, _("Escalated to the group centre")

    number = models.CharField(_("case number"), max_length=24, unique=True, editable=False)
    # The public forum shows a case under this token, never its number or id.
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(
        "org.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="cases"
    )
    project = models.ForeignKey(
        "org.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # An unknown caller is recorded as given and linked to a customer record later.
    caller_name = models.CharField(_("caller's name"), max_length=64, blank=True)
    caller_mobile = models.CharField(_("caller's mobile"), max_length=20, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.NORMAL
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case owner"),
        help_text=_("The customer-relations staff member in charge of the case."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_owned",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_recorded",
    )
    # Deadlines in working hours on the company's calendar (org.working_time).
    response_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # When the resolution clock started again: the last reopening (none: the intake).
    clock_from = models.DateTimeField(_("resolution clock from"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The clock stops while the case waits on the owner: [[from, to], …] (ISO text).
    paused_since = models.DateTimeField(_("waiting on the owner since"), null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    visit_due_at = models.DateTimeField(_("return visit by"), null=True, blank=True)
    visit_verdict = models.CharField(
        _("return visit verdict"), max_length=16, choices=Verdict.choices, blank=True
    )
    visit_comment = models.TextField(_("return visit comment"), max_length=2000, blank=True)
    visited_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Set once each by the sweeper (and by the owner's request): never escalated twice.
    warned_at = models.DateTimeField(_("near-breach warning sent at"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_company_at = models.DateTimeField(
        _("escalated to the company at"), null=True, blank=True
    )
    escalated_group_at = models.DateTimeField(_("escalated to the group at"), null=True, blank=True)
    escalation_reason = models.CharField(_("escalation reason"), max_length=200, blank=True)
    # A group complaint (群诉) this case is one complainant of; the work is done once, on
    # the incident's lead case (complaints/services/incidents.py).
    incident = models.ForeignKey(
        "complaints.Incident",
        verbose_name=_("group complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical case"),
    )
    scope_company_path = "company"
    scope_read_roles = CASE_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The queue: a company's cases in the order of the list, open first.
            models.Index(fields=["company", "-created_at", "-id"], name="case_queue_company"),
            models.Index(fields=["-created_at", "-id"], name="case_queue_all"),
            models.Index(
                fields=["company", "resolve_due_at"],
                condition=Q(status__in=["received", "accepted", "dispatched", "in_progress"]),
                name="case_open_due",
            ),
            models.Index(fields=["company", "status"], name="case_company_status"),
            # The queue's open views (all open, mine, unassigned, escalated, awaiting the
            # return visit, group complaints) in their own order, earliest deadline
            # first: a page reads its 50 rows off the index instead of sorting the
            # company's open cases (63k at 1M cases) on every request.
            models.Index(
                fields=["company", "resolve_due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_queue_open",
            ),
            models.Index(
                fields=["assignee", "resolve_due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_queue_mine",
            ),
            models.Index(
                fields=["resolve_due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_queue_open_all",  # group staff: every company
            ),
            models.Index(
                fields=["company", "resolve_due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES, incident__isnull=False),
                name="case_queue_incidents",
            ),
            # The SLA sweeper: open cases whose clock runs, by deadline.
            models.Index(
                fields=["resolve_due_at"],
                condition=Q(status__in=WORKING_STATUSES, paused_since__isnull=True),
                name="case_sweep_due",
            ),
            # Each step of the sweeper claims the cases it has not handled yet, by
            # deadline: without the flag in the condition a claim walked past every
            # case handled before (100k of them at 1M cases, 200-350 ms a batch).
            models.Index(
                fields=["company", "resolve_due_at", "id"],
                condition=Q(
                    status__in=WORKING_STATUSES, paused_since__isnull=True, warned_at__isnull=True
                ),
                name="case_sweep_warn",
            ),
            models.Index(
                fields=["resolve_due_at", "id"],
                condition=Q(
                    status__in=WORKING_STATUSES,
                    paused_since__isnull=True,
                    escalated_company_at__isnull=True,
                ),
                name="case_sweep_company",
            ),
            models.Index(
                fields=["resolve_due_at", "id"],
                condition=Q(
                    status__in=WORKING_STATUSES,
                    paused_since__isnull=True,
                    escalated_group_at__isnull=True,
                ),
                name="case_sweep_group",
            ),
            models.Index(fields=["caller_mobile"], name="case_caller_mobile"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visit_verdict="") | Q(visited_at__isnull=True),
                name="case_visit_has_verdict",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def waiting_on_owner(self) -> bool:
        return self.paused_since is not None

    def pause_intervals(self) -> list:
        """The pauses as (from, to) datetimes, a running pause ending now."""
        import datetime

        from django.utils import timezone

        spans = [
            (datetime.datetime.fromisoformat(a), datetime.datetime.fromisoformat(b))
            for a, b in self.pauses
        ]
        if self.paused_since:
            spans.append((self.paused_since, timezone.now()))
        return spans


class CaseNote(TimeStamped):
    """A note on a case: internal (staff only) or a reply to the owner. Forum replies
    will be notes marked public."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="case_notes",
    )
    text = models.TextField(_("note"), max_length=4000)
    is_public = models.BooleanField(_("reply to the owner"), default=False)

    scope_company_path = "case__company"
    scope_read_roles = CASE_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "pk"]
