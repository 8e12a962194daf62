"""The owners' club (万客会). This issue adds only the follow-up queue that visit
registration feeds; members, points, referrals and events come with the club issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped


class FollowUp(TimeStamped):
    """A first-time visitor handed to club staff for follow-up (DOMAIN §6, step 1)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="club_followups",
    )
    visit = models.OneToOneField(
        "customers.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="club_followup",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    scope_company_path = "customer__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("club follow-up")
        verbose_name_plural = _("club follow-ups")
        ordering = ["status", "-created_at"]

    def __str__(self):
        return f"{self.customer} ({self.get_status_display()})"
