"""Saved customer lists (filters kept as JSON)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Company
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .customer import CUSTOMER_READERS


class Segment(TimeStamped):
    """A saved filter over customers (targets for surveys, events and notices)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical segment")
    )
    scope_company_path = "company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="segment_unique")]

    def __str__(self):
        return self.name
