"""Customer ↔ unit: subscription, contract, handover, cancellation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Unit
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .customer import CUSTOMER_READERS, Customer


class Ownership(TimeStamped):
    """Customer ↔ unit. Ending an ownership (cancellation, transfer) keeps the row:
    a unit's ownership history is the list of its rows."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        CO_OWNER = "co_owner", _("Co-owner")

    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", _("Subscribed (认购)")
        CONTRACTED = "contracted", _("Contracted (签约)")
        HANDED_OVER = "handed_over", _("Handed over")
        CANCEL_PENDING = "cancel_pending", _("Cancellation awaiting approval")
        # 已退房: a cancelled purchase; a case's or a task's "Cancelled" is 已取消.
        CANCELLED = "cancelled", pgettext_lazy("ownership", "Cancelled")
        TRANSFERRED = "transferred", _("Transferred")

    ACTIVE = (Status.SUBSCRIBED, Status.CONTRACTED, Status.HANDED_OVER, Status.CANCEL_PENDING)

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ownerships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ownerships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OWNER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBSCRIBED
    )
    subscribed_on = models.DateField(_("subscription date"))
    contracted_on = models.DateField(_("contract date"), null=True, blank=True)
    price = models.DecimalField(
        _("price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    delivery_due_on = models.DateField(_("planned delivery date"), null=True, blank=True)
    handover_on = models.DateField(_("handover date"), null=True, blank=True)
    warranty_start_on = models.DateField(_("warranty start"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    cancel_requested_at = models.DateTimeField(
        _("cancellation requested at"), null=True, blank=True
    )
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancellation requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancellation decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical ownership"),
    )
    scope_company_path = "customer__company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["-subscribed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_on__isnull=True)
                | Q(contracted_on__gte=models.F("subscribed_on")),
                name="ownership_contract_after_subscription",
            ),
            models.CheckConstraint(
                condition=Q(handover_on__isnull=True)
                | (Q(contracted_on__isnull=False) & Q(handover_on__gte=models.F("contracted_on"))),
                name="ownership_handover_after_contract",
            ),
            # A unit has one active owner (co-owners beside them), even under races.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(
                    role="owner",
                    status__in=["subscribed", "contracted", "handed_over", "cancel_pending"],
                ),
                name="one_active_owner_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.customer} · {self.unit.code}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
