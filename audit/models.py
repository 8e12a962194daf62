"""State events: one row per transition of any record that runs on the platform's
transitions (vanke_crm/transitions.py), naming who did it, from which state to which,
why, and what else was entered. Append-only; pages read them through audit.selectors."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class StateEvent(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=48)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name as it was when they acted (an account may be renamed or removed later).
    actor_name = models.CharField(_("by (name)"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("state event")
        verbose_name_plural = _("state events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"
