"""Customer import: a dry run that checks every row and writes nothing but the batch
(the worker runs it on the uploaded file, see import_files), then a confirmation that
imports the whole batch in one transaction or nothing.

The dry run is a validation pass (the services' own validators plus one query per
kind of lookup, so a 5,000-row file is checked in seconds); the confirmation checks
again against the current data and then writes through `customer_create` and
`ownership_create`, so any rule those services enforce still applies."""

import logging
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.acting import acting, system_user
from org.models import Unit
from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import DomainError, InvalidInput
from vanke_crm.transitions import ensure_possible, transition

from ..models import ImportBatch, Tag
from ..validators import mask_id_number
from .access import access_customer_write, can_reveal_id_numbers
from .customers import customer_create
from .import_batches import IMPORT_BATCH  # noqa: F401 (the batch's transition table)
from .import_check import ORDER, _Rows, import_check
from .ownership import ownership_create

logger = logging.getLogger(__name__)

# Up to this many rows the confirmation imports at once; more go to the worker.
SYNC_ROWS = 300


class _Failed(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(errors)


def import_confirm(*, batch, by) -> ImportBatch:
    """Import a checked batch: all rows in one transaction, or nothing. Refused when
    the dry run listed errors, or when the batch was already imported or failed. The
    rows are checked again first, since the company's data may have changed. A file
    of more than SYNC_ROWS rows is queued for the worker instead of holding the
    request (about 30 queries a row go through the services)."""
    access_customer_write(by, batch.company_id)
    if batch.row_count <= SYNC_ROWS:
        return _import(batch.pk, by, queued=False)
    with transaction.atomic():
        batch = transition(batch, "queue", by=by)
        transaction.on_commit(partial(_enqueue, batch.pk, by.pk))
    return batch


def import_run(*, batch_id, user_id) -> ImportBatch | None:
    """The worker's half of a queued import; running it twice imports once."""
    from accounts.models import User

    by = User.objects.filter(pk=user_id).first()
    try:
        with acting(by):  # history rows name the person who confirmed the import
            return _import(batch_id, by, queued=True)
    except InvalidInput:
        return ImportBatch.objects.filter(pk=batch_id).first()  # the batch says why


def _enqueue(batch_id, user_id) -> None:
    """After commit. When the queue cannot be reached the batch goes back to "checked",
    so the person can simply confirm again (the request itself still succeeds)."""
    from ..tasks_io import import_batch_run

    try:
        import_batch_run.delay(batch_id, user_id)
    except Exception:
        logger.exception("import batch %s could not be queued", batch_id)
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is not None and batch.status == ImportBatch.Status.IMPORTING:
            transition(batch, "unqueue", by=system_user())


STALE_AFTER = timedelta(minutes=10)
MAX_QUEUE_ATTEMPTS = 3


def imports_requeue_stale(*, now=None) -> int:
    """Beat sweep: a queued import whose task was lost (worker restarted, broker
    flushed) is queued again; after MAX_QUEUE_ATTEMPTS it is marked failed with a
    message, so no batch stays "importing" for ever. Returns how many it touched."""
    now = now or timezone.now()
    stale = ImportBatch.objects.filter(
        status=ImportBatch.Status.IMPORTING, updated_at__lt=now - STALE_AFTER
    )
    touched = 0
    for batch_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            batch = _locked(batch_id)
            if batch.status != ImportBatch.Status.IMPORTING:
                continue
            touched += 1
            if batch.queue_attempts >= MAX_QUEUE_ATTEMPTS:
                message = _("The import could not be completed; please upload the file again.")
                transition(batch, "fail", by=system_user(), reason=message, errors=[_row(message)])
                continue
            batch.queue_attempts += 1
            batch.save(update_fields=["queue_attempts", "updated_at"])
            user_id = batch.confirmed_by_id or batch.uploaded_by_id
            transaction.on_commit(partial(_enqueue, batch.pk, user_id))
    return touched


def _locked(batch_id) -> ImportBatch:
    return ImportBatch.objects.select_for_update().select_related("company").get(pk=batch_id)


def _import(batch_id, by, *, queued: bool) -> ImportBatch:
    """Check the rows again and write them; the batch's transition (import in the
    request, imported by the worker) is refused before any work when its state or the
    person does not allow it, and a failure is recorded as the "fail" transition."""
    action = "imported" if queued else "import"
    try:
        with transaction.atomic():
            batch = _locked(batch_id)
            if queued and batch.status != ImportBatch.Status.IMPORTING:
                return batch  # a second delivery of the task
            if queued:
                _still_allowed(batch, by)
            ensure_possible(batch, action, by=by)
            plan = import_check(company=batch.company, rows=batch.rows, columns=batch.columns)
            if plan.errors:
                raise _Failed(plan.errors)
            _write(batch, plan, by)
            batch = transition(
                batch,
                action,
                by=by,
                imported_at=timezone.now(),
                customer_count=len(plan.customers),
                ownership_count=plan.ownership_count,
            )
    except _Failed as failure:
        batch = ImportBatch.objects.get(pk=batch_id)
        reason = failure.errors[0]["message"] if failure.errors else ""
        transition(batch, "fail", by=by or system_user(), reason=reason, errors=failure.errors)
        raise InvalidInput(
            _("Nothing was imported: the rows below no longer pass the checks.")
        ) from failure
    return batch


def _still_allowed(batch, by) -> None:
    """The person who confirmed may have lost their role while the import waited."""
    try:
        if by is None or not by.is_active:
            raise RoleRequired()
        access_customer_write(by, batch.company_id)
    except (RoleRequired, OutOfScope) as exc:
        message = _("The person who confirmed this import may no longer change customer data.")
        raise _Failed([_row(message)]) from exc


def _row(message) -> dict:
    """An error of the batch as a whole, listed like a row's."""
    return {"row": "", "field": "", "column": "", "letter": "", "message": message}


def _write(batch, plan, by) -> None:
    company = batch.company
    tags = {t.name: t for t in Tag.objects.filter(company=company)}
    for name in sorted(plan.new_tags):
        tags[name] = Tag.objects.create(company=company, name=name)
    units = Unit.objects.select_related("building__project").in_bulk(
        [o["unit_id"] for c in plan.customers for o in c["ownerships"]]
    )
    errors = _Rows(batch.columns)
    for planned in plan.customers:
        row, column = planned["row"], "mobile"
        try:
            fields = dict(planned["fields"])
            if fields["marketing_consent"]:
                fields["consent_channel"] = "import"
            customer = customer_create(
                company=company, by=by, tags=[tags[t] for t in planned["tags"]], **fields
            )
            for ownership in planned["ownerships"]:
                row, column = ownership["row"], "unit_code"
                values = {k: v for k, v in ownership.items() if k not in ("row", "unit_id")}
                ownership_create(
                    customer=customer, unit=units[ownership["unit_id"]], by=by, **values
                )
        except ValidationError as exc:
            for name, messages in _by_field(exc).items():
                errors.add(row, name if name in ORDER else "name", messages[0])
            raise _Failed(errors.as_list()) from exc
        except (DomainError, IntegrityError) as exc:
            message = str(exc) if isinstance(exc, DomainError) else _("Conflicts with saved data.")
            errors.add(row, column, message)
            raise _Failed(errors.as_list()) from exc


def _by_field(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"name": exc.messages}


def import_preview(batch, *, user, limit: int = 10) -> dict:
    """The first rows as read from the file, in the file's column order (for the
    person to see that the columns were understood), then the first rows with an
    error; a bad cell carries its problem, so the page can mark it. ID numbers are
    masked except for group staff, as everywhere else."""
    letters = {name: column.get("letter", "") for name, column in batch.columns.items()}
    fields = sorted(letters, key=lambda name: (len(letters[name]), letters[name]))
    reveal = can_reveal_id_numbers(user)
    problems: dict = {}
    for error in batch.errors or []:
        problems.setdefault(error.get("row"), {}).setdefault(error.get("field"), error["message"])
    shown = batch.rows[:limit]
    bad = [row for row in batch.rows[limit:] if row["row"] in problems][:limit]
    return {
        "headers": [
            {"text": batch.columns[name]["header"], "letter": letters[name]} for name in fields
        ],
        "rows": [
            {
                "number": row["row"],
                "bad": row["row"] in problems,
                "cells": [
                    {
                        "text": _shown(name, row["cells"].get(name), reveal),
                        "problem": problems.get(row["row"], {}).get(name, ""),
                    }
                    for name in fields
                ],
            }
            for row in [*shown, *bad]
        ],
    }


def _shown(name, value, reveal) -> str:
    text = "" if value is None else str(value)
    if name == "id_number" and text and not reveal:
        return mask_id_number(text)
    return text
