"""Issue 7, defect 3: an upload is only stored by the web request; the worker reads it
within limits (cells read, empty ones too; unpacked bytes; rows; columns; time) and
refuses a file over a limit with a message that says which limit and what to do."""

import io
import zipfile

import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from customers.importing import limits, reading
from customers.models import Customer, ImportBatch
from customers.services import import_files
from customers.tasks_io import import_batch_check, imports_requeue_stale

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def client_a(client, crm_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(crm_a)
    return client


def workbook_bytes(rows, headers=("姓名", "手机")) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    sheet["A1"].font = openpyxl.styles.Font(bold=True)  # a second cell style (s="1")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(write_sheet_data, dimension=b"A1:B2") -> bytes:
    """A real workbook whose first sheet's XML is written by `write_sheet_data(file)`
    (streamed into the zip, so hundreds of megabytes cost a second, not memory)."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([["张三", "13812345678"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(member, source.read(member.filename))
                continue
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(b"<worksheet " + MAIN + b'><dimension ref="' + dimension + b'"/>')
                sheet.write(b"<sheetData>")
                sheet.write(
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
                    b'<c r="B1" t="inlineStr"><is><t>mobile</t></is></c></row>'
                    b'<row r="2"><c r="A2" t="inlineStr"><is><t>Zhang San</t></is></c>'
                    b'<c r="B2" t="inlineStr"><is><t>13812345678</t></is></c></row>'
                )
                write_sheet_data(sheet)
                sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def blank_cell_workbook(unpacked: int) -> bytes:
    """The workbook of the issue: two customer rows, then rows of 16,384 formatted empty
    cells up to `unpacked` bytes of XML; the whole sheet claims A1:XFD1048576."""
    row = b'<c s="1"/>' * 16384

    def blank_rows(sheet):
        written, number = 0, 3
        while written < unpacked:
            chunk = b'<row r="%d">' % number + row + b"</row>"
            sheet.write(chunk)
            written, number = written + len(chunk), number + 1

    return with_sheet(blank_rows, dimension=b"A1:XFD1048576")


def xlsx(content: bytes, name="customers.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def post(client, file, company):
    """The upload request alone: what it answers and the callbacks it left for commit."""
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(reverse("customers:import"), {"company": company.pk, "file": file})
    return response, callbacks


def batch_of(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def checked(client, file, company) -> ImportBatch:
    """Upload, then run the queued check as the worker does."""
    response, callbacks = post(client, file, company)
    batch = batch_of(response)
    assert len(callbacks) == 1
    import_batch_check(batch.pk)
    batch.refresh_from_db()
    return batch


def refusal(client, file, company) -> str:
    batch = checked(client, file, company)
    assert batch.status == ImportBatch.Status.REFUSED, (batch.status, batch.errors)
    assert not batch.can_confirm and batch.rows == [] and Customer.objects.count() == 0
    page = client.get(reverse("customers:import_batch", args=[batch.pk])).content.decode()
    assert batch.refusal in page and "confirm-import" not in page
    return batch.refusal


# --- the request does no parsing ---------------------------------------------------------


def _must_not_run(*args, **kwargs):
    raise AssertionError("the upload request parsed the file")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: xlsx(blank_cell_workbook(192 * 1024 * 1024)), id="blank-cells"),
        pytest.param(lambda: xlsx(workbook_bytes([["张三", "13812345678"]])), id="xlsx"),
        pytest.param(
            lambda: SimpleUploadedFile("c.csv", ("姓名,手机\n" + ",\n" * 200_000).encode()),
            id="csv",
        ),
    ],
)
def test_upload_request_stores_the_file_and_reads_no_cell(
    client_a, company_a, monkeypatch, django_assert_max_num_queries, content
):
    file = content()
    for target, name in (
        (reading, "load_workbook"),
        (reading, "read_file"),
        (reading, "_read_xlsx"),
        (reading, "_read_csv"),
        (limits, "check_archive"),
        (import_files, "import_check"),
        (zipfile.ZipFile, "open"),  # no member of the zip is decompressed
    ):
        monkeypatch.setattr(target, name, _must_not_run)
    with django_assert_max_num_queries(12):
        response, callbacks = post(client_a, file, company_a)
    batch = batch_of(response)
    assert batch.status == ImportBatch.Status.CHECKING and batch.rows == []
    assert len(callbacks) == 1  # the worker's check, queued after commit
    assert batch.file.name.startswith("imports/") and batch.file.size == file.size
    assert batch.file_name == file.name and batch.language == "en"


def test_batch_page_polls_until_the_check_is_done(client_a, company_a):
    response, _callbacks = post(
        client_a, xlsx(workbook_bytes([["张三", "13812345678"]])), company_a
    )
    batch = batch_of(response)
    page = client_a.get(response.url).content.decode()
    assert 'data-testid="checking"' in page and 'hx-trigger="every 2s"' in page
    assert "Checking the file" in page and "confirm-import" not in page
    poll = client_a.get(response.url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    assert (
        'data-testid="checking"' in poll.content.decode() and "<html" not in poll.content.decode()
    )
    # Confirming before the check is done is refused.
    confirm = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert confirm.status_code == 400 and "still being checked" in confirm.content.decode()
    assert import_batch_check(batch.pk) == ImportBatch.Status.DRY_RUN
    poll = client_a.get(response.url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    page = client_a.get(response.url).content.decode()
    assert 'data-testid="confirm-import"' in page and 'data-testid="checking"' not in page
    client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert Customer.objects.get().name == "张三"


def test_check_runs_once(client_a, company_a):
    response, _callbacks = post(
        client_a, xlsx(workbook_bytes([["张三", "13812345678"]])), company_a
    )
    batch = batch_of(response)
    assert import_batch_check(batch.pk) == ImportBatch.Status.DRY_RUN
    ImportBatch.objects.filter(pk=batch.pk).update(rows=[])  # a second run would refill it
    assert import_batch_check(batch.pk) == ImportBatch.Status.DRY_RUN
    batch.refresh_from_db()
    assert batch.rows == [] and import_batch_check(batch.pk + 1000) == "missing"


def test_uploaded_file_is_never_served(client_a, company_a, group_staff, client):
    batch = checked(client_a, xlsx(workbook_bytes([["张三", "13812345678"]])), company_a)
    url = f"/media/{batch.file.name}"
    assert client_a.get(url).status_code == 404
    client.force_login(group_staff)
    assert client.get(url).status_code == 404


# --- the worker's limits -----------------------------------------------------------------


def test_blank_cell_workbook_of_the_issue_is_refused_by_the_worker(client_a, company_a):
    content = blank_cell_workbook(192 * 1024 * 1024)
    assert len(content) < 2 * 1024 * 1024  # small on disk
    message = refusal(client_a, xlsx(content), company_a)
    assert "unpacks to more than 50 MB" in message and "save the sheet as CSV" in message


def test_blank_cells_under_the_unpacked_limit_are_refused_by_the_cell_count(
    client_a, company_a, monkeypatch
):
    seen = []
    real = limits._XmlScan._start
    monkeypatch.setattr(
        limits._XmlScan, "_start", lambda self, *a: (seen.append(1), real(self, *a))
    )
    message = refusal(client_a, xlsx(blank_cell_workbook(40 * 1024 * 1024)), company_a)
    assert "more than 500,000 cells" in message
    assert "delete the empty rows and columns" in message and "save the sheet as CSV" in message
    # It stopped at the limit: 4 million empty cells were never all parsed.
    assert len(seen) < limits.MAX_CELLS + 1000


def test_gap_to_the_last_row_stops_at_the_cell_limit(client_a, company_a, monkeypatch):
    """One formatted cell at XFD1048576 makes the reader fill a million empty rows:
    each counts, and reading stops at the limit instead of the sheet's end."""
    monkeypatch.setattr(limits, "MAX_CELLS", 1000)
    counted = []
    real = limits.Budget.read_cells
    monkeypatch.setattr(
        limits.Budget, "read_cells", lambda self, n: (counted.append(n), real(self, n))
    )

    def far_cell(sheet):
        sheet.write(b'<row r="1048576"><c r="XFD1048576" s="1"/></row>')

    message = refusal(client_a, xlsx(with_sheet(far_cell, b"A1:XFD1048576")), company_a)
    assert "more than 1,000 cells" in message
    assert len(counted) <= 1001


def test_a_dimension_claiming_the_whole_sheet_is_not_read_to_its_end(client_a, company_a):
    batch = checked(client_a, xlsx(with_sheet(lambda sheet: None, b"A1:XFD1048576")), company_a)
    assert batch.status == ImportBatch.Status.DRY_RUN and batch.row_count == 1
    assert batch.rows[0]["cells"]["name"] == "Zhang San"


def test_workbook_over_the_cell_limit_is_refused(client_a, company_a, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 20)
    rows = [[f"客户{i}", f"138{i:08d}"] for i in range(12)]
    assert "more than 20 cells" in refusal(client_a, xlsx(workbook_bytes(rows)), company_a)


def test_csv_over_the_cell_limit_is_refused(client_a, company_a):
    text = "姓名,手机\n张三,13812345678\n" + "," * (limits.MAX_CELLS + 10) + "\n"
    message = refusal(client_a, SimpleUploadedFile("wide.csv", text.encode()), company_a)
    assert "more than 500,000 cells, counting empty ones" in message


def test_directory_that_understates_the_unpacked_size_does_not_get_through(client_a, company_a):
    content = bytearray(blank_cell_workbook(100 * 1024 * 1024))
    # Rewrite the sheet's uncompressed size in the zip's central directory to 1 KB.
    at = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/worksheets/sheet1.xml"))
    content[at + 24 : at + 28] = (1024).to_bytes(4, "little")
    assert sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(content)).infolist()) < 10**6
    message = refusal(client_a, xlsx(bytes(content)), company_a)
    assert "unpacks to more than" in message or "could not be read" in message


def test_unpacked_bytes_are_counted_as_they_come_out(monkeypatch):
    """The byte count does not rest on the directory: what is decompressed counts."""
    archive = zipfile.ZipFile(io.BytesIO(blank_cell_workbook(900_000)))
    budget = limits.Budget(workbook=True)
    limits.check_archive(archive, budget)
    assert budget.unpacked == sum(m.file_size for m in archive.infolist()) > 900_000

    class LyingArchive:  # a directory that declares nothing, a part of 2 MB
        def infolist(self):
            return [zipfile.ZipInfo("xl/media/image1.png")]

        def open(self, member):
            return io.BytesIO(b"\0" * 2 * 1024 * 1024)

    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    with pytest.raises(limits.ImportRefused, match="unpacks to more than 1 MB"):
        limits.check_archive(LyingArchive(), limits.Budget(workbook=True))


def test_data_beyond_the_column_limit_is_refused(client_a, company_a):
    row = ["张三", "13812345678"] + [None] * 60 + ["备注"]
    message = refusal(client_a, xlsx(workbook_bytes([row])), company_a)
    assert "data in more than 60 columns" in message
    csv = "姓名,手机\n张三,13812345678" + "," * 61 + "x\n"
    assert "more than 60 columns" in refusal(
        client_a, SimpleUploadedFile("w.csv", csv.encode()), company_a
    )


def test_empty_formatted_cells_beyond_the_columns_are_ignored(client_a, company_a):
    def styled_far_cells(sheet):
        sheet.write(b'<row r="3"><c r="A3" s="1"/><c r="CV3" s="1"/><c r="XFD3" s="1"/></row>')

    batch = checked(client_a, xlsx(with_sheet(styled_far_cells)), company_a)
    assert batch.status == ImportBatch.Status.DRY_RUN and batch.errors == []


def test_more_rows_than_the_limit_are_refused_at_the_real_limit(client_a, company_a):
    text = "姓名,手机\n" + "".join(f"客户{i},138{i:08d}\n" for i in range(limits.MAX_ROWS + 1))
    message = refusal(client_a, SimpleUploadedFile("many.csv", text.encode()), company_a)
    assert "more than 5000 rows" in message and "split it" in message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_reading_past_the_deadline_is_refused(client_a, company_a, monkeypatch, kind):
    now = [0.0]

    def slow_clock():  # every look at the clock finds a second gone
        now[0] += 1
        return now[0]

    monkeypatch.setattr(limits, "clock", slow_clock)
    if kind == "xlsx":
        file = xlsx(workbook_bytes([[f"客户{i}", f"138{i:08d}"] for i in range(60)]))
    else:
        text = "姓名,手机\n" + "".join(f"客户{i},138{i:08d}\n" for i in range(60))
        file = SimpleUploadedFile("slow.csv", text.encode())
    message = refusal(client_a, file, company_a)
    assert "took longer than the limit of 30 seconds" in message


def test_celery_soft_time_limit_refuses_the_file(client_a, company_a, monkeypatch):
    response, _callbacks = post(
        client_a, xlsx(workbook_bytes([["张三", "13812345678"]])), company_a
    )
    batch = batch_of(response)

    def interrupted(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(import_files, "import_file_check", interrupted)
    assert import_batch_check(batch.pk) == ImportBatch.Status.REFUSED
    batch.refresh_from_db()
    assert "took longer than the limit" in batch.refusal
    assert import_batch_check.soft_time_limit < import_batch_check.time_limit


def test_refusal_is_written_in_the_uploaders_language(client, crm_a, company_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(crm_a)
    message = refusal(client, xlsx(blank_cell_workbook(60 * 1024 * 1024)), company_a)
    assert "解压后超过 50 MB" in message and "另存为 CSV" in message


# --- nothing is lost when the task is ----------------------------------------------------


def test_queue_down_at_upload_keeps_the_file_and_the_sweep_queues_it_again(
    client_a, company_a, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from customers import tasks_io

    def down(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks_io.import_batch_check, "delay", down)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_a.post(
            reverse("customers:import"),
            {"company": company_a.pk, "file": xlsx(workbook_bytes([["张三", "13812345678"]]))},
        )
    batch = batch_of(response)
    assert batch.status == ImportBatch.Status.CHECKING and batch.file.size
    queued = []
    monkeypatch.setattr(tasks_io.import_batch_check, "delay", lambda *args: queued.append(args))
    later = timezone.now() + timedelta(minutes=11)
    assert import_files.import_checks_requeue_stale(now=timezone.now()) == 0  # not stale yet
    for attempt in (2, 3):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert import_files.import_checks_requeue_stale(now=later) == 1
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.CHECKING and batch.queue_attempts == attempt
        later += timedelta(minutes=11)
    assert queued == [(batch.pk,)] * 2
    assert import_batch_check(batch.pk) == ImportBatch.Status.DRY_RUN  # the worker is back


def test_check_lost_three_times_is_marked_failed_with_a_message(
    client_a, company_a, crm_a, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from customers import tasks_io

    monkeypatch.setattr(tasks_io.import_batch_check, "delay", lambda *args: None)
    batch = ImportBatch.objects.create(
        company=company_a,
        uploaded_by=crm_a,
        file_name="lost.xlsx",
        status=ImportBatch.Status.CHECKING,
        queue_attempts=3,
        language="en",
    )
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert imports_requeue_stale() == 1  # the beat task sweeps checks and imports
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    page = client_a.get(reverse("customers:import_batch", args=[batch.pk])).content.decode()
    assert "could not be checked; please upload it again" in page
    assert import_batch_check(batch.pk) == ImportBatch.Status.FAILED  # a late task changes nothing


def test_stored_file_gone_fails_the_batch_with_a_message(client_a, company_a):
    response, _callbacks = post(
        client_a, xlsx(workbook_bytes([["张三", "13812345678"]])), company_a
    )
    batch = batch_of(response)
    batch.file.storage.delete(batch.file.name)
    assert import_batch_check(batch.pk) == ImportBatch.Status.FAILED
    batch.refresh_from_db()
    assert "upload it again" in batch.refusal
