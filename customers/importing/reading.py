"""Reading an uploaded .xlsx (openpyxl, read-only, formulas kept as formulas) or .csv
(UTF-8 with or without BOM, else GB18030) into a header and rows."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import cell_text
from .columns import ImportRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60


@dataclass
class Sheet:
    headers: list
    rows: list = field(default_factory=list)  # [(row number, [cell, …])]


@dataclass(frozen=True)
class Formula:
    text: str


def read_upload(upload) -> Sheet:
    """The first sheet of an .xlsx or a .csv file as header + rows (blank rows dropped)."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
    if upload.size == 0:
        raise ImportRefused(_("The file is empty."))
    if name.endswith(".xlsx"):
        sheet = _read_xlsx(upload)
    elif name.endswith(".csv"):
        sheet = _read_csv(upload)
    else:
        raise ImportRefused(
            _("Only .xlsx and .csv files can be imported (save an .xls file as .xlsx first).")
        )
    if not sheet.headers:
        raise ImportRefused(_("The file is empty."))
    if not sheet.rows:
        raise ImportRefused(_("The file has a header row but no customer rows."))
    return sheet


def _too_many_rows():
    return ImportRefused(
        _("The file has more than %(max)s rows; split it into files of at most %(max)s rows.")
        % {"max": MAX_ROWS}
    )


def _read_xlsx(upload) -> Sheet:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:  # a small file that unpacks to gigabytes
            raise ImportRefused(
                _("The workbook unpacks to more than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_UNZIPPED_BYTES // 1024 // 1024}
            )
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(
            _("The file could not be read as an Excel workbook (.xlsx); is it damaged?")
        ) from exc
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()
        sheet = None
        for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            values = [_xlsx_value(cell) for cell in cells]
            if _blank(values):
                continue
            if sheet is None:
                sheet = Sheet(headers=_header_texts(values))
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows()
            sheet.rows.append((number, values))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        raise ImportRefused(
            _("The file could not be read as an Excel workbook (.xlsx); is it damaged?")
        ) from exc
    finally:
        workbook.close()
    return sheet or Sheet(headers=[])


def _xlsx_value(cell):
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        return Formula(value if isinstance(value, str) else getattr(value, "text", "") or "=")
    return cell.value


def _read_csv(upload) -> Sheet:
    upload.seek(0)
    raw = upload.read()
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
    sheet = None
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            values = [_csv_value(value) for value in values[:MAX_COLUMNS]]
            if _blank(values):
                continue
            if sheet is None:
                sheet = Sheet(headers=_header_texts(values))
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows()
            sheet.rows.append((number, values))
    except csv.Error as exc:
        raise ImportRefused(_("The file could not be read as CSV text.")) from exc
    return sheet or Sheet(headers=[])


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
