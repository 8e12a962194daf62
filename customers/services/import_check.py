"""The import's dry run: every row checked against the company's data and the models'
own field rules, errors listed by row and column, nothing written. The worker runs it
on an uploaded file (services.import_files) and the confirmation runs it again
(services.imports) before it writes, since the data may have changed."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from org.models import Project, Unit
from vanke_crm.validation import field_errors

from .. import importing
from ..importing import BY_FIELD, CUSTOMER_FIELDS
from ..models import Customer, Ownership, Tag
from ..validators import id_number_error, mask_id_number
from .ownership import _check_dates

logger = logging.getLogger(__name__)
ORDER = {column.field: i for i, column in enumerate(importing.COLUMNS)}
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
        if _is_template_example(row["cells"]):
            errors.add(row["row"], "name", _("This is the template's example row; delete it."))
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


def _is_template_example(cells) -> bool:
    """The template's example row left in the file (its name says so, in either
    language the template was downloaded in)."""
    from ..exporting import example_names

    name = cells.get("name")
    return isinstance(name, str) and name.strip() in example_names()


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
