"""A return visit (回访): one round per time a case waits for the owner's verdict. Staff
record it after a phone call; the owner answers through the signed SMS link or the
portal. The case's visit_* fields mirror the latest round (the queue reads them)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .cases import CASE_READERS, Case


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class ReturnVisit(TimeStamped):
    class Via(models.TextChoices):
        PHONE = "phone", _("Staff phone call")
        LINK = "link", _("Owner's SMS link")
        PORTAL = "portal", _("Owner portal")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="return_visits"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    due_at = models.DateTimeField(_("return visit by"), null=True, blank=True)
    verdict = models.CharField(
        _("return visit verdict"), max_length=16, choices=Case.Verdict.choices, blank=True
    )
    comment = models.TextField(_("return visit comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Null when the owner answered through the link (nobody signed in).
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="return_visits_answered",
    )
    via = models.CharField(_("answered through"), max_length=8, choices=Via.choices, blank=True)
    mobile = models.CharField(_("SMS sent to"), max_length=20, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    # Part of the signed link: a link of another round (or a forged id) never matches.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)

    scope_company_path = "case__company"
    scope_read_roles = CASE_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="visit_case_round"),
            # At most one open round per case: every path answers the same row.
            models.UniqueConstraint(
                fields=["case"], condition=Q(answered_at__isnull=True), name="visit_one_open"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(verdict=""),
                name="visit_answer_has_verdict",
            ),
        ]
        indexes = [models.Index(fields=["due_at"], name="visit_due")]

    def __str__(self):
        return f"{self.case_id} #{self.round}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
