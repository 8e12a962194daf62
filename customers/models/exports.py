"""Customer lists exported in the background (a large list took ~34 s in the request)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanke_crm.models import TimeStamped

EXPORTS_FOLDER = "exports/"


def export_file_path(job, filename) -> str:
    """A random name under exports/, served only to the job's requester
    (customers.services.exports.export_file_access, docs/decisions/0020)."""
    extension = ".csv" if filename.endswith(".csv") else ".xlsx"
    return f"{EXPORTS_FOLDER}{secrets.token_hex(16)}{extension}"


class ExportJob(TimeStamped):
    """One export of a customer list (the list's filters or a segment), written by the
    worker with its progress; the file is the requester's alone and is removed after
    EXPORT_KEEP_DAYS. ID numbers are always masked (docs/decisions/0012)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Writing the file")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The list's filter values (GET parameters) or the segment exported.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    segment = models.ForeignKey(
        "customers.Segment",
        verbose_name=_("segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("file name"), max_length=100)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("stored file"), upload_to=export_file_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    queue_attempts = models.PositiveSmallIntegerField(_("queue attempts"), default=0)

    class Meta:
        verbose_name = _("customer export")
        verbose_name_plural = _("customer exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
