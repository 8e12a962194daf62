"""Visits (来访登记) and the four-year revisit (四年之约)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Project
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .customer import CUSTOMER_READERS, Customer
from .ownership import Ownership


class Visit(TimeStamped):
    """来访登记: a visit at a sales office (or a revisit by staff)."""

    class Kind(models.TextChoices):
        SALES_OFFICE = "sales_office", _("Sales-office visit")
        REVISIT = "revisit", _("Four-year revisit (四年之约)")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.SALES_OFFICE
    )
    visited_at = models.DateTimeField(_("visited at"))
    source = models.CharField(
        _("source channel"), max_length=16, choices=Customer.Source.choices, blank=True
    )
    needs = models.TextField(_("needs"), blank=True)
    companions = models.PositiveSmallIntegerField(_("accompanying people"), default=0)
    companions_note = models.CharField(_("who came along"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_first = models.BooleanField(_("first visit"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    scope_company_path = "customer__company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]

    def __str__(self):
        return f"{self.customer} @ {self.project} {self.visited_at:%Y-%m-%d}"


class RevisitTask(TimeStamped):
    """四年之约: one revisit per ownership every four years from handover."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="revisits"
    )
    ownership = models.ForeignKey(
        Ownership, verbose_name=_("ownership"), on_delete=models.CASCADE, related_name="revisits"
    )
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), help_text=_("1 = four years after handover")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisit_task",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical revisit task"),
    )
    scope_company_path = "customer__company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("four-year revisit")
        verbose_name_plural = _("four-year revisits")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["ownership", "cycle"], name="revisit_once_per_cycle")
        ]

    def __str__(self):
        return f"{self.customer} · {self.due_on}"
