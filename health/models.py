from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Written by a beat-scheduled task run on a worker: proves both are alive."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    beat_at = models.DateTimeField(_("last beat"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
