"""An uploaded customer file: stored by the web request, read and checked by the worker.

The request only checks what costs nothing (name, size, zip signature), stores the
file and a batch in "checking", and queues `customers.import_batch_check`. The worker
reads the file within the limits of `customers.importing.limits` and runs the same
`import_check` as before; the batch then lists the row errors (a dry run, nothing
written) or says why the file as a whole was refused. No web request parses a file,
whatever its shape (docs/decisions/0013-import-reading-in-worker.md)."""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.acting import system_user
from vanke_crm.errors import IllegalTransition
from vanke_crm.transitions import transition

from .. import importing
from ..importing import ImportRefused, limits
from ..models import ImportBatch
from .access import access_customer_write
from .import_batches import IMPORT_BATCH  # noqa: F401 (the batch's transition table)
from .import_check import import_check
from .imports import MAX_QUEUE_ATTEMPTS, STALE_AFTER

logger = logging.getLogger(__name__)

# Celery's backstop behind the reading deadline (limits.MAX_SECONDS): the check of
# 5,000 rows takes a few seconds more; past the soft limit the batch is refused with
# the time message, past the hard one the process is killed and the sweep takes over.
CHECK_SOFT_TIME_LIMIT = 3 * limits.MAX_SECONDS
CHECK_TIME_LIMIT = CHECK_SOFT_TIME_LIMIT + 30


def import_upload(*, company, by, upload) -> ImportBatch:
    """Store an uploaded file for `company` and queue its check. Refuses at once
    (ImportRefused) only what costs nothing to see: the kind of file, its size, an
    empty file, an .xlsx that is not a zip. Reads no cell."""
    access_customer_write(by, company.pk)
    importing.check_upload(upload)
    batch = ImportBatch(
        company=company,
        uploaded_by=by,
        file_name=(upload.name or "")[:255],
        status=ImportBatch.Status.CHECKING,
        language=translation.get_language() or "",
        queue_attempts=1,
    )
    batch.file.save(upload.name or "upload", upload, save=False)
    with transaction.atomic():
        batch.save()
        transaction.on_commit(partial(_enqueue_check, batch.pk))
    return batch


def _enqueue_check(batch_id) -> None:
    """After commit. When the queue cannot be reached the batch stays "checking" and
    the sweep queues it again; the request itself still succeeds."""
    from ..tasks_io import import_batch_check

    try:
        import_batch_check.delay(batch_id)
    except Exception:
        logger.exception("the check of import batch %s could not be queued", batch_id)


def import_file_check(*, batch_id) -> ImportBatch | None:
    """The worker's half of an upload: read the stored file within the limits and
    check every row; the batch becomes a dry run with its row errors, or is refused
    with the message naming the limit or the problem. Running it twice checks once."""
    batch = ImportBatch.objects.select_related("company").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.CHECKING:
        return batch
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        try:
            outcome = ("checked", "", _check(batch))
        except ImportRefused as exc:
            outcome = ("refuse", str(exc), {})
        except OSError:
            logger.exception("the stored file of import batch %s could not be read", batch_id)
            message = _("The stored file could not be read; please upload it again.")
            outcome = ("fail", message, {})
    action, reason, fields = outcome
    return _finish(batch, action, reason, fields)


def import_file_check_timed_out(*, batch_id) -> ImportBatch | None:
    """The worker's soft time limit passed: refuse the file with the time message."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return None
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        refusal = str(limits.too_slow())
    return _finish(batch, "refuse", refusal, {})


def _check(batch) -> dict:
    with batch.file.open("rb") as file:
        sheet = importing.read_file(file, name=batch.file_name)
    columns, ignored = importing.map_columns(sheet.headers)
    rows = importing.extract_rows(sheet, columns)
    if not rows:
        raise ImportRefused(_("The file has a header row but no customer rows."))
    plan = import_check(company=batch.company, rows=rows, columns=columns)
    if ignored:
        plan.warnings.insert(
            0,
            _("These columns are not imported and were ignored: %(columns)s.")
            % {"columns": "、".join(ignored)},
        )
    return {
        "columns": {k: {"header": v["header"], "letter": v["letter"]} for k, v in columns.items()},
        "rows": rows,
        "errors": plan.errors,
        "warnings": plan.warnings,
        "row_count": len(rows),
        "error_count": len(plan.errors),
        "customer_count": len(plan.customers),
        "ownership_count": plan.ownership_count,
    }


def _finish(batch, action, reason, fields: dict) -> ImportBatch | None:
    """Record the check's outcome as the uploader, unless another run (or the sweep)
    recorded one first."""
    try:
        return transition(batch, action, by=batch.uploaded_by, reason=reason, **fields)
    except IllegalTransition:
        return ImportBatch.objects.filter(pk=batch.pk).first()


def import_checks_requeue_stale(*, now=None) -> int:
    """Beat sweep (with imports_requeue_stale): a file still "checking" after
    STALE_AFTER lost its task (worker killed, broker flushed, queue down at upload);
    it is queued again, and after MAX_QUEUE_ATTEMPTS marked failed with a message, so
    no batch stays "checking" for ever. Returns how many it touched."""
    now = now or timezone.now()
    stale = ImportBatch.objects.filter(
        status=ImportBatch.Status.CHECKING, updated_at__lt=now - STALE_AFTER
    )
    touched = 0
    for batch_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != ImportBatch.Status.CHECKING:
                continue
            touched += 1
            if batch.queue_attempts >= MAX_QUEUE_ATTEMPTS:
                with translation.override(batch.language or settings.LANGUAGE_CODE):
                    message = _("The file could not be checked; please upload it again.")
                transition(batch, "fail", by=system_user(), reason=message)
                continue
            batch.queue_attempts += 1
            batch.save(update_fields=["queue_attempts", "updated_at"])
            transaction.on_commit(partial(_enqueue_check, batch.pk))
    return touched
