"""The life of an uploaded customer file, on the platform's transitions (decision 0015):

    checking ──checked──▶ dry_run ──queue──▶ importing ──imported──▶ imported
        │                   │  ▲                │
        ├─refuse─▶ refused  │  └───unqueue──────┤ (the queue could not be reached)
        └─fail──▶ failed ◀──┴───────────fail────┘
                            └──import (up to SYNC_ROWS rows, in the request)──▶ imported

The worker acts as the uploader (checking) or the confirmer (importing); the beat
sweep as the system. Every move leaves a state event with who, from, to and why."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from vanke_crm.errors import InvalidInput
from vanke_crm.transitions import Transition, Workflow, register

from ..models import ImportBatch
from .access import access_customer_write

B = ImportBatch.Status
# What the check and the import store on the batch; the events keep only the counts.
OUTCOME = (
    "columns",
    "rows",
    "errors",
    "warnings",
    "row_count",
    "error_count",
    "customer_count",
    "ownership_count",
    "imported_at",
)
COUNTS = ("row_count", "error_count", "customer_count", "ownership_count")


def _worker(user, batch) -> None:
    """Outcomes of the worker and the sweep: whoever they act for may record them."""


def _may_confirm(user, batch) -> None:
    access_customer_write(user, batch.company_id)


def _store(batch, data, by) -> None:
    for name in OUTCOME:
        if name in data:
            setattr(batch, name, data[name])


def _refused(batch, data, by) -> None:
    batch.refusal = data["reason"]


def _failed(batch, data, by) -> None:
    """An import that failed lists its row errors; a file that could not be checked
    says why in one message."""
    if "errors" in data:
        batch.errors, batch.error_count = data["errors"], len(data["errors"])
    else:
        batch.refusal = data["reason"]


def _queued(batch, data, by) -> None:
    batch.confirmed_by = by
    batch.queue_attempts = 1


def _without_errors(batch, data, by) -> None:
    if batch.status == B.DRY_RUN and batch.errors:
        raise InvalidInput(
            _("The file has errors; correct them and upload it again. Nothing was imported.")
        )


def _not_importable(batch) -> str:
    """Why a batch in this state cannot be imported, in the person's words."""
    return {
        B.CHECKING: _("This file is still being checked; the page shows when it is done."),
        B.REFUSED: _("This file was refused; correct it and upload it again."),
        B.IMPORTED: _("This file was already imported."),
        B.IMPORTING: _("This file is being imported; the page shows when it is done."),
        B.FAILED: _("This import failed; correct the file and upload it again."),
    }.get(batch.status, _("This file cannot be imported in its current state."))


IMPORT_BATCH = register(
    Workflow(
        ImportBatch,
        [
            Transition(
                "checked",
                (B.CHECKING,),
                B.DRY_RUN,
                _lazy("File checked"),
                _worker,
                apply=_store,
                recorded=COUNTS,
            ),
            Transition(
                "refuse",
                (B.CHECKING,),
                B.REFUSED,
                _lazy("File refused"),
                _worker,
                requires=("reason",),
                apply=_refused,
                recorded=(),
            ),
            Transition(
                "queue",
                (B.DRY_RUN,),
                B.IMPORTING,
                pgettext_lazy("action", "Import the file"),
                _may_confirm,
                guard=_without_errors,
                apply=_queued,
                refusal=_not_importable,
            ),
            Transition(
                "unqueue",
                (B.IMPORTING,),
                B.DRY_RUN,
                _lazy("Back to checked (the queue could not be reached)"),
                _worker,
            ),
            Transition(
                "import",
                (B.DRY_RUN,),
                B.IMPORTED,
                pgettext_lazy("action", "Import the file"),
                _may_confirm,
                guard=_without_errors,
                apply=_store,
                refusal=_not_importable,
                recorded=COUNTS,
            ),
            Transition(
                "imported",
                (B.IMPORTING,),
                B.IMPORTED,
                _lazy("Imported by the worker"),
                _may_confirm,
                apply=_store,
                recorded=COUNTS,
            ),
            Transition(
                "fail",
                (B.CHECKING, B.DRY_RUN, B.IMPORTING),
                B.FAILED,
                _lazy("Import failed"),
                _worker,
                requires=("reason",),
                apply=_failed,
                recorded=(),
            ),
        ],
    )
)
