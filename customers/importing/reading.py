"""Reading a stored customer file (.xlsx: openpyxl, read-only, formulas kept as
formulas; .csv: UTF-8 with or without BOM, else GB18030) into a header and rows.

This runs in the worker, never in a web request, and within the limits of `limits`:
every cell the reader yields counts (empty ones and the gaps it fills too), so a
sheet whose formatting reaches XFD1048576 stops after MAX_CELLS instead of being read
to the end."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import limits
from .cells import cell_text
from .columns import ImportRefused


@dataclass
class Sheet:
    headers: list
    rows: list = field(default_factory=list)  # [(row number, [cell, …])]


@dataclass(frozen=True)
class Formula:
    text: str


def read_file(file, *, name: str) -> Sheet:
    """The first sheet of a stored .xlsx or .csv file as header + rows (blank rows
    dropped). Refuses the file as a whole (ImportRefused) when it is over a limit,
    unreadable, empty or has no customer rows."""
    name = (name or "").lower()
    size = getattr(file, "size", None)
    if size is not None and size > limits.MAX_BYTES:
        raise limits.too_big(size)
    if name.endswith(".xlsx"):
        sheet = _read_xlsx(file, limits.Budget(workbook=True))
    elif name.endswith(".csv"):
        sheet = _read_csv(file, limits.Budget(workbook=False))
    else:
        raise ImportRefused(
            _("Only .xlsx and .csv files can be imported (save an .xls file as .xlsx first).")
        )
    if not sheet.headers:
        raise ImportRefused(_("The file is empty."))
    if not sheet.rows:
        raise ImportRefused(_("The file has a header row but no customer rows."))
    return sheet


class _Rows:
    """The header and the non-blank rows, as the reader yields them, counted."""

    def __init__(self, budget):
        self.budget = budget
        self.sheet = None

    def add(self, number: int, values: list, *, cells: int) -> None:
        self.budget.read_cells(cells)
        self.budget.tick()
        if len(values) > limits.MAX_COLUMNS:
            if not _blank(values[limits.MAX_COLUMNS :]):
                raise limits.too_many_columns()
            values = values[: limits.MAX_COLUMNS]
        if _blank(values):
            return
        if self.sheet is None:
            self.sheet = Sheet(headers=_header_texts(values))
            return
        if len(self.sheet.rows) >= limits.MAX_ROWS:
            raise limits.too_many_rows()
        self.sheet.rows.append((number, values))


def _read_xlsx(file, budget) -> Sheet:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            limits.check_archive(archive, budget)
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise limits.not_a_workbook() from exc
    rows = _Rows(budget)
    try:
        worksheet = workbook.worksheets[0]
        # The dimension the file declares is not trusted (nor needed): without it the
        # reader yields each row up to its last cell and no padding to a claimed size.
        worksheet.reset_dimensions()
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            rows.add(number, [_xlsx_value(cell) for cell in cells], cells=len(cells))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        raise limits.not_a_workbook() from exc
    finally:
        workbook.close()
    return rows.sheet or Sheet(headers=[])


def _xlsx_value(cell):
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        return Formula(value if isinstance(value, str) else getattr(value, "text", "") or "=")
    return cell.value


def _read_csv(file, budget) -> Sheet:
    file.seek(0)
    raw = file.read(limits.MAX_BYTES + 1)
    if len(raw) > limits.MAX_BYTES:
        raise limits.too_big(getattr(file, "size", len(raw)))
    if not raw:
        raise ImportRefused(_("The file is empty."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_("The file's text encoding is not UTF-8 or GB18030."))
    if "\x00" in text:
        raise ImportRefused(_("The file could not be read as CSV text."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows = _Rows(budget)
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            rows.add(number, [_csv_value(value) for value in values], cells=len(values))
    except csv.Error as exc:
        raise ImportRefused(_("The file could not be read as CSV text.")) from exc
    return rows.sheet or Sheet(headers=[])


def _csv_value(value: str):
    # A spreadsheet would run "=…" typed into a CSV cell: treat it as the formula it is.
    if value.strip().startswith("="):
        return Formula(value.strip())
    return value


def _blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _header_texts(values) -> list:
    texts = [cell_text(value.text if isinstance(value, Formula) else value) for value in values]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def extract_rows(sheet: Sheet, columns: dict) -> list:
    """[{"row": n, "cells": {field: JSON-safe value}, "formulas": {field: text}}]."""
    rows = []
    for number, values in sheet.rows:
        cells, formulas = {}, {}
        for name, column in columns.items():
            index = column["index"]
            value = values[index] if index < len(values) else None
            if isinstance(value, Formula):
                formulas[name] = value.text
                value = None
            cells[name] = _json_value(value)
        if any(v not in (None, "") for v in cells.values()) or formulas:
            rows.append({"row": number, "cells": cells, "formulas": formulas})
    return rows


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value)
