"""Customer lists to .xlsx (openpyxl write-only, row by row) and .csv (streamed).

Every text cell that a spreadsheet would run as a formula (= + - @, tab, CR) is
written as text with a leading "'", so opening an export never runs anything."""

import csv
import datetime
import tempfile
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .importing import FORMULA_STARTS
from .models import Ownership


def neutralise(value):
    """Text that starts like a formula gets a leading "'" (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportColumn:
    label: object
    value: object  # callable(customer, context) -> cell value
    width: int = 14


def _national(mobile: str) -> str:
    return mobile[3:] if mobile.startswith("+86") else mobile


def _units(customer, _ctx) -> str:
    return "；".join(
        f"{o.unit.building.project.name} {o.unit.code} ({o.get_role_display()}, "
        f"{o.get_status_display()})"
        for o in customer.ownerships.all()
    )


def _id_number(customer, ctx) -> str:
    return customer.id_number if ctx["reveal_id"] else customer.id_number_masked


COLUMNS = (
    ExportColumn(pgettext_lazy("customer file column", "Name"), lambda c, _x: c.name, 12),
    ExportColumn(
        pgettext_lazy("customer file column", "Mobile"), lambda c, _x: _national(c.mobile), 15
    ),
    ExportColumn(pgettext_lazy("customer file column", "ID number"), _id_number, 21),
    ExportColumn(
        pgettext_lazy("customer file column", "Gender"),
        lambda c, _x: c.get_gender_display() if c.gender else "",
        6,
    ),
    ExportColumn(pgettext_lazy("customer file column", "Birthday"), lambda c, _x: c.birthday, 12),
    ExportColumn(
        pgettext_lazy("customer file column", "Kind"), lambda c, _x: c.get_kind_display(), 10
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "6+2 step"), lambda c, _x: c.get_step_display(), 24
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Source channel"),
        lambda c, _x: c.get_source_display(),
        12,
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Tags"),
        lambda c, _x: "、".join(t.name for t in c.tags.all()),
        16,
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Marketing consent"),
        lambda c, _x: _("Yes") if c.marketing_consent else _("No"),
        8,
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Family structure"),
        lambda c, _x: c.family_structure,
        12,
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Occupation"), lambda c, _x: c.occupation, 12
    ),
    ExportColumn(pgettext_lazy("customer file column", "Budget"), lambda c, _x: c.budget, 12),
    ExportColumn(
        pgettext_lazy("customer file column", "Needs and preferences"), lambda c, _x: c.needs, 30
    ),
    ExportColumn(pgettext_lazy("customer file column", "Units"), _units, 36),
    ExportColumn(
        pgettext_lazy("customer file column", "Company"), lambda c, _x: c.company.name, 14
    ),
    ExportColumn(
        pgettext_lazy("customer file column", "Created at"),
        lambda c, _x: timezone.localtime(c.created_at).replace(tzinfo=None),
        18,
    ),
)


def export_queryset(queryset):
    """The joins every row needs, declared once: a handful of queries per 1,000 rows."""
    ownerships = Ownership.objects.filter(status__in=Ownership.ACTIVE).select_related(
        "unit__building__project"
    )
    return (
        queryset.select_related("company")
        .prefetch_related("tags", Prefetch("ownerships", queryset=ownerships))
        .order_by("pk")
    )


def _rows(queryset, *, reveal_id: bool, on_row=None):
    """`on_row(n)` after the n-th row (a background export's progress)."""
    ctx = {"reveal_id": reveal_id}
    for index, customer in enumerate(export_queryset(queryset).iterator(chunk_size=1000), 1):
        yield [neutralise(column.value(customer, ctx)) for column in COLUMNS]
        if on_row is not None:
            on_row(index)


def headers() -> list:
    return [str(column.label) for column in COLUMNS]


def write_xlsx(queryset, *, reveal_id: bool, title: str = "", on_row=None):
    """A temporary file holding the workbook (the caller streams it and it is removed
    when closed). Write-only mode keeps memory flat for long lists."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title or _("Customers")))
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    bold = Font(bold=True)
    header_cells = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=neutralise(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in _rows(queryset, reveal_id=reveal_id, on_row=on_row):
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    return _saved(workbook)


def _saved(workbook):
    # Returned open: the FileResponse streaming it closes (and so removes) it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Never let openpyxl guess "formula" from the text: it is data.
        cell.data_type = "s"
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet1"


class _Echo:
    def write(self, value):
        return value


def csv_lines(queryset, *, reveal_id: bool, on_row=None):
    """CSV lines, UTF-8 with a BOM so that Excel opens Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield csv_header_line(headers())
    for values in _rows(queryset, reveal_id=reveal_id, on_row=on_row):
        yield writer.writerow(["" if v is None else v for v in values])


# --- the import template -------------------------------------------------------------------


def column_help() -> list:
    """[(header, required, example, help)] for the import page and the template."""
    from .importing import COLUMNS as IMPORT_COLUMNS

    return [
        (str(c.label), c.required, c.example, str(c.help) if c.help else "") for c in IMPORT_COLUMNS
    ]


def template_xlsx():
    """An empty import sheet with the column names (text format where Excel would
    otherwise turn digits into numbers), and a sheet explaining each column."""
    from .importing import COLUMNS as IMPORT_COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Customers"))
    bold = Font(bold=True)
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16
        if column.field in ("mobile", "id_number", "unit_code", "project_code"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
        # Row 2: an example (the dry run refuses it if it is left in).
        value = example_name() if column.field == "name" else neutralise(column.example)
        example = sheet.cell(row=2, column=index, value=value or None)
        example.font = Font(italic=True, color="808080")
    help_sheet = workbook.create_sheet(_sheet_title(_("How to fill in")))
    help_sheet.append([_("Column"), _("Required"), _("Example"), _("Notes")])
    for header, required, example, note in column_help():
        help_sheet.append(
            [neutralise(header), _("Yes") if required else "", neutralise(example), note]
        )
    for letter, width in zip("ABCD", (22, 8, 22, 70), strict=True):
        help_sheet.column_dimensions[letter].width = width
    return _saved(workbook)


def example_name() -> str:
    """The name in the template's example row: it says it is an example."""
    from .importing import COLUMNS as IMPORT_COLUMNS

    name = next(c.example for c in IMPORT_COLUMNS if c.field == "name")
    return _("%(name)s (example: delete this row)") % {"name": name}


def example_names() -> set:
    """The example name in every language the template may have been downloaded in."""
    from django.conf import settings
    from django.utils import translation

    names = set()
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            names.add(example_name())
    return names


def template_csv() -> str:
    """The header line and an example row (the dry run refuses it if it is left in)."""
    from .importing import COLUMNS as IMPORT_COLUMNS

    example = [
        example_name() if c.field == "name" else neutralise(c.example) for c in IMPORT_COLUMNS
    ]
    return csv_header_line([header for header, *_rest in column_help()]) + csv.writer(
        _Echo()
    ).writerow(example)


def csv_header_line(values) -> str:
    return "\ufeff" + csv.writer(_Echo()).writerow([neutralise(v) for v in values])
