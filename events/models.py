"""Domain events as rows: written in the publisher's transaction, so an event exists
exactly when the change it reports was committed (docs/decisions/0016)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DomainEvent(models.Model):
    name = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("details"), default=dict)
    actor_id = models.BigIntegerField(_("acting user"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The redelivery sweep reads only what is still undelivered.
            models.Index(
                fields=["created_at"],
                condition=Q(delivered_at__isnull=True),
                name="events_undelivered",
            ),
            models.Index(fields=["name", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.name} #{self.pk}"
