"""A group complaint (群诉): one cause, many owners (a building's leaking windows). Each
complainant keeps their own case, linked by `Case.incident`; the work happens once, on
the lead case, and its resolution and return visits fan out to every member
(complaints/services/incidents.py, docs/decisions/0025-group-complaints.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .cases import CASE_READERS
from .categories import Category


class Incident(TimeStamped):
    number = models.CharField(_("group complaint number"), max_length=24, unique=True)
    company = models.ForeignKey(
        "org.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    project = models.ForeignKey(
        "org.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    building = models.ForeignKey(
        "org.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    # Where the work happens: tasks are dispatched on the lead case only.
    lead_case = models.OneToOneField(
        "complaints.Case",
        verbose_name=_("lead case"),
        on_delete=models.PROTECT,
        related_name="led_incident",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents_created",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical group complaint"),
    )
    scope_company_path = "company"
    scope_read_roles = CASE_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("group complaint")
        verbose_name_plural = _("group complaints")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "-created_at", "-id"], name="incident_company_list"),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"
