"""What reading an uploaded file may cost, and the refusal when it would cost more.

The web request only looks at what costs nothing (`check_upload`: name, size, that an
.xlsx is a zip). The worker reads with a `Budget`: cells read (empty ones too, as the
reader yields them), unpacked bytes (the zip directory's sizes *and* the bytes actually
decompressed), rows, columns and wall time. A small workbook of formatted empty cells
unpacks to hundreds of megabytes of XML: each limit stops it early, with a message that
names the limit and what to do (docs/decisions/0013-import-reading-in-worker.md)."""

import time
import zipfile
from xml.parsers import expat

from django.utils.translation import gettext as _

from .columns import ImportRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
# 5,000 rows of 60 columns are 300,000 cells; the rest is room for some formatting.
MAX_CELLS = 500_000
# XML elements in any one part of a workbook (a cell is one to four of them).
MAX_XML_ELEMENTS = 4 * MAX_CELLS
MAX_SECONDS = 30
CHUNK = 64 * 1024

# The clock the deadline is measured on (tests move it).
clock = time.monotonic


def _mb(limit: int) -> int:
    return limit // 1024 // 1024


def too_big(size: int) -> ImportRefused:
    return ImportRefused(
        _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
        % {"size": f"{size / 1024 / 1024:.1f}", "limit": _mb(MAX_BYTES)}
    )


def not_a_workbook() -> ImportRefused:
    return ImportRefused(
        _("The file could not be read as an Excel workbook (.xlsx); is it damaged?")
    )


def too_many_rows() -> ImportRefused:
    return ImportRefused(
        _("The file has more than %(max)s rows; split it into files of at most %(max)s rows.")
        % {"max": MAX_ROWS}
    )


def too_many_columns() -> ImportRefused:
    return ImportRefused(
        _(
            "The file has data in more than %(max)s columns; delete the columns that are not "
            "imported and upload it again."
        )
        % {"max": MAX_COLUMNS}
    )


def too_many_cells(*, workbook: bool) -> ImportRefused:
    if workbook:
        message = _(
            "The workbook has more than %(max)s cells, counting empty cells that carry "
            "formatting; delete the empty rows and columns below and to the right of your "
            "data, or save the sheet as CSV, and upload it again."
        )
    else:
        message = _(
            "The file has more than %(max)s cells, counting empty ones; delete the empty "
            "rows and columns, or split it into smaller files, and upload it again."
        )
    return ImportRefused(message % {"max": f"{MAX_CELLS:,}"})


def too_big_unpacked() -> ImportRefused:
    return ImportRefused(
        _(
            "The workbook unpacks to more than %(limit)s MB (empty formatted cells and "
            "pictures count too); delete them or save the sheet as CSV, or split the file, "
            "and upload it again."
        )
        % {"limit": _mb(MAX_UNZIPPED_BYTES)}
    )


def too_slow() -> ImportRefused:
    return ImportRefused(
        _(
            "Reading the file took longer than the limit of %(seconds)s seconds; delete the "
            "empty rows and columns, save the sheet as CSV or split the file, and upload it "
            "again."
        )
        % {"seconds": MAX_SECONDS}
    )


def check_upload(upload) -> None:
    """The web request's check: name, size and, for .xlsx, the zip signature. Reads
    at most a few bytes and the zip's end record; never decompresses or parses."""
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ImportRefused(
            _("Only .xlsx and .csv files can be imported (save an .xls file as .xlsx first).")
        )
    if upload.size > MAX_BYTES:
        raise too_big(upload.size)
    if upload.size == 0:
        raise ImportRefused(_("The file is empty."))
    if name.endswith(".xlsx"):
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04" or not zipfile.is_zipfile(upload):
            raise not_a_workbook()
    upload.seek(0)


class Budget:
    """Counts what reading one file costs and refuses it when a limit is passed."""

    def __init__(self, *, workbook: bool):
        self.workbook = workbook
        self.deadline = clock() + MAX_SECONDS
        self.cells = 0
        self.unpacked = 0

    def tick(self) -> None:
        if clock() > self.deadline:
            raise too_slow()

    def read_cells(self, count: int) -> None:
        # A row without cells (a gap the reader fills) still costs one.
        self.cells += max(count, 1)
        if self.cells > MAX_CELLS:
            raise too_many_cells(workbook=self.workbook)

    def unpacked_bytes(self, count: int) -> None:
        self.unpacked += count
        if self.unpacked > MAX_UNZIPPED_BYTES:
            raise too_big_unpacked()


def check_archive(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Before openpyxl parses anything: the sizes the zip directory declares, then every
    part decompressed once, counting the bytes that come out (a directory that lies
    about them does not get through) and, in XML parts, the elements and cells (a
    streaming count with constant memory: one row of a million cells would otherwise be
    held whole by the reader)."""
    members = [member for member in archive.infolist() if not member.is_dir()]
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise too_big_unpacked()
    for member in members:
        budget.tick()
        scan = _XmlScan(budget, sheet=member.filename.startswith("xl/worksheets/"))
        xml = member.filename.endswith(".xml")
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                budget.unpacked_bytes(len(chunk))
                budget.tick()
                if xml:
                    scan.feed(chunk)


class _XmlScan:
    """Counts the elements of one XML part, and its cells (`c`, whatever the prefix)."""

    def __init__(self, budget: Budget, *, sheet: bool):
        self.budget, self.sheet = budget, sheet
        self.elements = self.cells = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.ordered_attributes = True  # a list is cheaper than a dict
        self.parser.StartElementHandler = self._start
        # A workbook part has no document type; entities could multiply the cells.
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.broken = False

    def feed(self, chunk: bytes) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(chunk, False)
        except expat.ExpatError:
            # Not ours to judge: openpyxl refuses the parts it needs and skips the rest.
            self.broken = True

    def _start(self, name, attributes) -> None:
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise too_many_cells(workbook=True)
        if self.sheet and name.rpartition(" ")[2] == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise too_many_cells(workbook=True)

    def _doctype(self, *args) -> None:
        raise not_a_workbook()
