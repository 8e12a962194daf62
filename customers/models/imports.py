"""Customer files uploaded for import."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Company
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from .customer import CUSTOMER_READERS


def import_file_path(batch, filename) -> str:
    """Where an uploaded customer file is stored: a random name under imports/, which
    is never served over HTTP (vanke_crm.media registers no check for it)."""
    extension = ".csv" if (filename or "").lower().endswith(".csv") else ".xlsx"
    return f"imports/{secrets.token_hex(16)}{extension}"


class ImportBatch(TimeStamped):
    """One uploaded customer file: stored by the request, read and checked by the
    worker (dry run, nothing written), imported as a whole on confirmation. Keeps the
    parsed rows so the confirmation imports exactly what was checked."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        REFUSED = "refused", _("Refused")
        DRY_RUN = "dry_run", _("Checked, not imported")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # The upload as stored for the worker; the person's own file name is file_name.
    file = models.FileField(_("stored file"), upload_to=import_file_path, blank=True)
    # The language the uploader used: the worker writes the messages in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    # Why the file as a whole was refused (a limit, unreadable, no rows, columns).
    refusal = models.TextField(_("refusal"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRY_RUN
    )
    # {field: {"header": as typed in the file, "letter": "B"}}
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    # [{"row": 2, "cells": {field: value}}] — row numbers as Excel shows them.
    rows = models.JSONField(_("parsed rows"), default=list, blank=True)
    # [{"row": 2, "column": "手机", "letter": "B", "message": "…"}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    ownership_count = models.PositiveIntegerField(_("ownerships"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # Who confirmed a queued import, and how often the sweep had to queue it again.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    queue_attempts = models.PositiveSmallIntegerField(_("queue attempts"), default=0)

    scope_company_path = "company"
    scope_read_roles = CUSTOMER_READERS
    objects = ScopedManager()

    class Meta:
        verbose_name = _("customer import")
        verbose_name_plural = _("customer imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.DRY_RUN and not self.errors and self.row_count > 0
