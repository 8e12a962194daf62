"""The 6+2 steps' work points and who ticked them for a customer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Company
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .customer import CUSTOMER_READERS, Customer, LifecycleStep


class WorkPoint(TimeStamped):
    """A 6+2 work point (checklist item). Group defaults have no company; a company
    may add its own. Deactivating hides it from new checklists."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_points",
    )
    step = models.CharField(_("6+2 step"), max_length=24, choices=LifecycleStep.choices)
    code = models.SlugField(_("code"), max_length=48)
    label = models.CharField(_("work point"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("work point")
        verbose_name_plural = _("work points")
        ordering = ["step", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="workpoint_code_unique_per_company"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(company__isnull=True), name="workpoint_code_group"
            ),
        ]

    def __str__(self):
        return self.label


class WorkPointCheck(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="checks"
    )
    work_point = models.ForeignKey(
        WorkPoint, verbose_name=_("work point"), on_delete=models.PROTECT, related_name="checks"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(
        get_user=history_user, verbose_name=_("historical work point check")
    )
    scope_company_path = "customer__company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("work point check")
        verbose_name_plural = _("work point checks")
        constraints = [
            models.UniqueConstraint(fields=["customer", "work_point"], name="workpoint_check_once")
        ]

    def __str__(self):
        return f"{self.customer} ✓ {self.work_point}"
