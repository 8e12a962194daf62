"""Customer import: a dry run that checks every row and writes nothing but the batch
(the worker runs it on the uploaded file, see import_files), then a confirmation that
imports the whole batch in one transaction or nothing.

The dry run is a validation pass (the services' own validators plus one query per
kind of lookup, so a 5,000-row file is checked in seconds); the confirmation checks
again against the current data and then writes through `customer_create` and
`ownership_create`, so any rule those services enforce still applies."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from audit.acting import acting
from org.models import Project, Unit
from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import DomainError, IllegalTransition, InvalidInput
from vanke_crm.validation import field_errors

from .. import importing
from ..importing import BY_FIELD, CUSTOMER_FIELDS
from ..models import Customer, ImportBatch, Ownership, Tag
from ..validators import id_number_error, mask_id_number
from .access import access_customer_write, can_reveal_id_numbers
from .customers import customer_create
from .ownership import _check_dates, ownership_create

logger = logging.getLogger(__name__)
ORDER = {column.field: i for i, column in enumerate(importing.COLUMNS)}
# Up to this many rows the confirmation imports at once; more go to the worker.
SYNC_ROWS = 300
# The values of a row that its ownership takes (see _ownership).
OWNERSHIP_VALUES = (
    "role",
    "subscribed_on",
    "contracted_on",
    "price",
    "delivery_due_on",
    "handover_on",
)


@dataclass
class Plan:
    """What the rows would create: customers (with their units) and the errors."""

    customers: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    new_tags: set = field(default_factory=set)

    @property
    def ownership_count(self) -> int:
        return sum(len(c["ownerships"]) for c in self.customers)


class _Rows:
    """Collects errors by row and field, as the person sees them in the file."""

    def __init__(self, columns):
        self.columns = columns
        self.by_row = defaultdict(dict)

    def add(self, row, name, message):
        self.by_row[row].setdefault(name, str(message))

    def has(self, row) -> bool:
        return bool(self.by_row.get(row))

    def as_list(self) -> list:
        listed = []
        for row in sorted(self.by_row):
            for name, message in sorted(self.by_row[row].items(), key=lambda i: ORDER[i[0]]):
                column = self.columns.get(name) or {}
                listed.append(
                    {
                        "row": row,
                        "field": name,
                        "column": column.get("header") or str(BY_FIELD[name].label),
                        "letter": column.get("letter", ""),
                        "message": message,
                    }
                )
        return listed


def import_check(*, company, rows, columns) -> Plan:
    """Check every row against the shapes and the company's current data."""
    errors = _Rows(columns)
    cleaned = []
    for row in rows:
        values, problems = importing.clean_cells(row["cells"])
        for name, message in problems.items():
            errors.add(row["row"], name, message)
        for name, text in (row.get("formulas") or {}).items():
            errors.by_row[row["row"]][name] = _(
                "Cell %(cell)s contains a formula (%(formula)s); formulas are not evaluated. "
                "Replace it with its value."
            ) % {
                "cell": f"{columns.get(name, {}).get('letter', '')}{row['row']}",
                # An ID number typed as ="4403…" must not be echoed in full.
                "formula": mask_id_number(text) if name == "id_number" else text,
            }
        cleaned.append((row["row"], values))
    _check_customers(company, cleaned, errors)
    units = _check_units(company, cleaned, errors)
    _check_fields(company, cleaned, units, errors)
    plan = _group(cleaned, units, errors)
    plan.errors = errors.as_list()
    existing = set(Tag.objects.filter(company=company).values_list("name", flat=True))
    plan.new_tags = {t for c in plan.customers for t in c["tags"]} - existing
    if plan.new_tags:
        plan.warnings.append(
            _("New tags will be created: %(tags)s.") % {"tags": "、".join(sorted(plan.new_tags))}
        )
    return plan


def _check_customers(company, cleaned, errors) -> None:
    for row, values in cleaned:
        if not values["mobile"]:
            errors.add(row, "mobile", _("Please enter a valid mainland mobile number (11 digits)."))
            continue
        mobile = normalize_mobile(values["mobile"])
        if mobile is None:
            errors.add(row, "mobile", _("Please enter a valid mainland mobile number (11 digits)."))
        values["mobile"] = mobile
        if values["id_number"]:
            values["id_number"] = values["id_number"].upper()
            problem = id_number_error(values["id_number"])
            if problem:
                errors.add(row, "id_number", problem)
    mobiles = {values["mobile"] for _row, values in cleaned if values["mobile"]}
    taken = dict(
        Customer.objects.active()
        .filter(company=company, mobile__in=mobiles)
        .values_list("mobile", "name")
    )
    for row, values in cleaned:
        if values["mobile"] in taken:
            errors.add(
                row,
                "mobile",
                _(
                    "A customer with this mobile already exists (%(name)s); edit that customer "
                    "instead of importing them again."
                )
                % {"name": taken[values["mobile"]]},
            )


def _check_fields(company, cleaned, units, errors) -> None:
    """The models' own field checks (lengths, choices, digits), the same that the
    services run when the confirmation saves: a row that would be refused then is
    reported now, on its column, with the limit it breaks."""
    for row, values in cleaned:
        customer = Customer(company=company, **{name: values[name] for name in CUSTOMER_FIELDS})
        for name, messages in field_errors(customer, CUSTOMER_FIELDS).items():
            errors.add(row, name, messages[0])
        for tag in values["tags"] or []:
            for messages in field_errors(Tag(company=company, name=tag), ["name"]).values():
                errors.add(row, "tags", messages[0])
        if row in units:
            ownership = Ownership(**{name: values[name] for name in OWNERSHIP_VALUES})
            for name, messages in field_errors(ownership, OWNERSHIP_VALUES).items():
                errors.add(row, name, messages[0])


def _check_units(company, cleaned, errors) -> dict:
    """{row: unit id} for rows naming a unit of one of the company's projects."""
    codes = {v["project_code"] for _r, v in cleaned if v["project_code"]}
    projects = {p.code: p for p in Project.objects.filter(company=company, code__in=codes)}
    unit_codes = {v["unit_code"] for _r, v in cleaned if v["unit_code"]}
    found = defaultdict(list)
    for pk, project_id, code in Unit.objects.filter(
        building__project__in=projects.values(), code__in=unit_codes
    ).values_list("pk", "building__project_id", "code"):
        found[(project_id, code)].append(pk)
    units = {}
    for row, values in cleaned:
        _check_date_order(row, values, errors)
        code, unit_code = values["project_code"], values["unit_code"]
        if not code or not unit_code:
            continue
        project = projects.get(code)
        if project is None:
            errors.add(
                row,
                "project_code",
                _("There is no project with code %(code)s in %(company)s.")
                % {"code": code, "company": company.name},
            )
            continue
        matches = found.get((project.pk, unit_code), [])
        if len(matches) != 1:
            message = (
                _("There is no unit %(unit)s in %(project)s.")
                if not matches
                else _("Unit code %(unit)s names several units in %(project)s.")
            )
            errors.add(row, "unit_code", message % {"unit": unit_code, "project": project.name})
            continue
        units[row] = matches[0]
    owned = set(
        Ownership.objects.filter(
            unit_id__in=units.values(), status__in=Ownership.ACTIVE, role=Ownership.Role.OWNER
        ).values_list("unit_id", flat=True)
    )
    for row, values in cleaned:
        if units.get(row) in owned and values["role"] == Ownership.Role.OWNER:
            errors.add(row, "unit_code", _("This unit already has an active owner."))
    return units


def _check_date_order(row, values, errors) -> None:
    if not values["subscribed_on"]:
        return
    try:
        _check_dates(values["subscribed_on"], values["contracted_on"], values["handover_on"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.add(row, name, messages[0])


def _group(cleaned, units, errors) -> Plan:
    """Rows with the same mobile are one customer: the first row gives the customer's
    data, later rows may only add units (and must not contradict the first)."""
    plan, first_row, unit_owner, unit_holders = Plan(), {}, {}, set()
    by_mobile = {}
    for row, values in cleaned:
        mobile = values["mobile"]
        if mobile and mobile in first_row:
            _same_customer(row, values, first_row[mobile], by_mobile[mobile], errors)
            customer = by_mobile[mobile]
        else:
            customer = {
                "row": row,
                "fields": {name: values[name] for name in CUSTOMER_FIELDS},
                "tags": values["tags"] or [],
                "ownerships": [],
            }
            if mobile:
                first_row[mobile], by_mobile[mobile] = row, customer
        unit_id = units.get(row)
        if unit_id is not None:
            if values["role"] == Ownership.Role.OWNER and unit_id in unit_owner:
                errors.add(
                    row,
                    "unit_code",
                    _("Row %(row)s already names an owner of this unit.")
                    % {"row": unit_owner[unit_id]},
                )
            if (mobile, unit_id) in unit_holders:
                errors.add(row, "unit_code", _("This customer already holds this unit."))
            if values["role"] == Ownership.Role.OWNER:
                unit_owner.setdefault(unit_id, row)
            unit_holders.add((mobile, unit_id))
            customer["ownerships"].append(_ownership(row, unit_id, values))
        if customer["row"] == row:
            plan.customers.append(customer)
    plan.customers = [c for c in plan.customers if not errors.has(c["row"])]
    return plan


def _ownership(row, unit_id, values) -> dict:
    return {"row": row, "unit_id": unit_id, **{name: values[name] for name in OWNERSHIP_VALUES}}


def _same_customer(row, values, first, customer, errors) -> None:
    if not values["unit_code"]:
        errors.add(row, "mobile", _("Row %(row)s already has this mobile number.") % {"row": first})
        return
    for name in CUSTOMER_FIELDS:
        if name in ("mobile", "source", "marketing_consent"):
            continue
        value = values[name]
        if value not in (None, "") and value != customer["fields"][name]:
            errors.add(
                row,
                name,
                _("Row %(row)s has the same mobile number with another value here.")
                % {"row": first},
            )


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
        batch = _locked(batch.pk)
        _confirmable(batch)
        batch.status = ImportBatch.Status.IMPORTING
        batch.confirmed_by = by
        batch.queue_attempts = 1
        batch.save(update_fields=["status", "confirmed_by", "queue_attempts", "updated_at"])
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
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.IMPORTING).update(
            status=ImportBatch.Status.DRY_RUN, updated_at=timezone.now()
        )


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
                batch.status = ImportBatch.Status.FAILED
                batch.errors = [
                    {"row": "", "field": "", "column": "", "letter": "", "message": message}
                ]
                batch.error_count = 1
                batch.save()
                continue
            batch.queue_attempts += 1
            batch.save(update_fields=["queue_attempts", "updated_at"])
            user_id = batch.confirmed_by_id or batch.uploaded_by_id
            transaction.on_commit(partial(_enqueue, batch.pk, user_id))
    return touched


def _locked(batch_id) -> ImportBatch:
    return ImportBatch.objects.select_for_update().select_related("company").get(pk=batch_id)


def _import(batch_id, by, *, queued: bool) -> ImportBatch:
    try:
        with transaction.atomic():
            batch = _locked(batch_id)
            if not queued:
                _confirmable(batch)
            elif batch.status != ImportBatch.Status.IMPORTING:
                return batch
            else:
                _still_allowed(batch, by)
            plan = import_check(company=batch.company, rows=batch.rows, columns=batch.columns)
            if plan.errors:
                raise _Failed(plan.errors)
            _write(batch, plan, by)
            batch.status = ImportBatch.Status.IMPORTED
            batch.imported_at = timezone.now()
            batch.customer_count = len(plan.customers)
            batch.ownership_count = plan.ownership_count
            batch.save()
    except _Failed as failure:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED,
            errors=failure.errors,
            error_count=len(failure.errors),
            updated_at=timezone.now(),
        )
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
        raise _Failed(
            [{"row": "", "field": "", "column": "", "letter": "", "message": message}]
        ) from exc


def _confirmable(batch) -> None:
    if batch.status == ImportBatch.Status.CHECKING:
        raise IllegalTransition(
            _("This file is still being checked; the page shows when it is done.")
        )
    if batch.status == ImportBatch.Status.REFUSED:
        raise IllegalTransition(_("This file was refused; correct it and upload it again."))
    if batch.status == ImportBatch.Status.IMPORTED:
        raise IllegalTransition(_("This file was already imported."))
    if batch.status == ImportBatch.Status.IMPORTING:
        raise IllegalTransition(_("This file is being imported; the page shows when it is done."))
    if batch.status == ImportBatch.Status.FAILED:
        raise IllegalTransition(_("This import failed; correct the file and upload it again."))
    if batch.errors:
        raise InvalidInput(
            _("The file has errors; correct them and upload it again. Nothing was imported.")
        )


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
    person to see that the columns were understood). ID numbers are masked except
    for group staff, as everywhere else."""
    letters = {name: column.get("letter", "") for name, column in batch.columns.items()}
    fields = sorted(letters, key=lambda name: (len(letters[name]), letters[name]))
    reveal = can_reveal_id_numbers(user)
    return {
        "headers": [batch.columns[name]["header"] for name in fields],
        "rows": [
            (row["row"], [_shown(name, row["cells"].get(name), reveal) for name in fields])
            for row in batch.rows[:limit]
        ],
    }


def _shown(name, value, reveal) -> str:
    text = "" if value is None else str(value)
    if name == "id_number" and text and not reveal:
        return mask_id_number(text)
    return text
