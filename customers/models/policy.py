"""A company's overrides of the group's lifecycle settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Company
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped


class CompanyPolicy(TimeStamped):
    """A company's overrides of the group defaults for the customer lifecycle; a blank
    field means "use the group default" (customers.policy shows the effective value
    and where it came from)."""

    company = models.OneToOneField(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="customer_policy"
    )
    cancellation_window_days = models.PositiveSmallIntegerField(
        _("no-questions cancellation window (days)"), null=True, blank=True
    )
    move_in_lead_days = models.PositiveSmallIntegerField(
        _("move-in step starts (days before delivery)"), null=True, blank=True
    )
    warranty_years = models.PositiveSmallIntegerField(
        _("general warranty (years)"), null=True, blank=True
    )

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical policy")
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("customer policy")
        verbose_name_plural = _("customer policies")

    def __str__(self):
        return str(self.company)
