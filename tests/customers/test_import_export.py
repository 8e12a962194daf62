"""Customer import (dry run, confirm, refusals) and export (formula injection, masking)."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from customers.exporting import neutralise
from customers.importing import MAX_BYTES
from customers.models import Customer, ImportBatch, LifecycleStep, Ownership, Tag
from customers.services import customer_create
from customers.validators import make_id_number
from tests.factories import UnitFactory

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "姓名",
    "手机",
    "身份证号",
    "性别",
    "生日",
    "来源",
    "标签",
    "营销同意",
    "项目编码",
    "房号",
    "认购日期",
    "签约日期",
    "价格",
    "交付日期",
]
ID_OK = make_id_number("44030519850101123")
ID_BAD = ID_OK[:-1] + ("1" if ID_OK[-1] != "1" else "2")


def good_rows():
    return [
        [
            "张三",
            "13812345678",
            ID_OK,
            "男",
            datetime.date(1985, 1, 1),
            "老带新",
            "VIP、改善型",
            "是",
            "sz-wkc",
            "3-2-1201",
            datetime.date(2024, 3, 1),
            datetime.date(2024, 3, 20),
            3250000,
            None,
        ],
        ["李四", "139 1234 5678", None, "女", None, None, None, "否"] + [None] * 6,
        ["王五", "13712345678", make_id_number("11010519900307002")] + [None] * 11,
        ["赵六", "13612345678", None, None, None, "自然到访", None, None, "sz-wkc", "3-2-1202"]
        + [datetime.date(2024, 3, 1), datetime.date(2024, 3, 10), "2,980,000", None],
        ["钱七", "13512345678"] + [None] * 12,
    ]


def bad_rows():
    """Three bad rows: a mobile (row 3), an ID number (row 4), a date order (row 5)."""
    rows = good_rows()
    rows[1][1] = "12345"
    rows[2][2] = ID_BAD
    rows[3][10], rows[3][11] = datetime.date(2024, 3, 10), datetime.date(2024, 3, 1)
    return rows


def xlsx_upload(rows, headers=HEADERS, name="customers.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def zip_of(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def csv_upload(text, encoding="utf-8", name="customers.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture
def unit_a2(unit_a):
    return UnitFactory(building=unit_a.building, entrance="2", number="1202", code="3-2-1202")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English (the msgids); pages follow the user's language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def client_a(client, crm_a):
    client.force_login(crm_a)
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files are stored under a scratch MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(client, file, company):
    """Post the file as the person does; then run the check the request queued, as
    the worker does (the request itself only stores the file)."""
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(reverse("customers:import"), {"company": company.pk, "file": file})
    if response.status_code == 302:
        from customers.tasks_io import import_batch_check

        assert len(callbacks) == 1  # the check was queued, after commit
        import_batch_check(int(response.url.rstrip("/").split("/")[-1]))
    return response


def refusal(client, response) -> str:
    """The refused batch's page: nothing to confirm, the message saying why."""
    batch = batch_of(response)
    assert batch.status == ImportBatch.Status.REFUSED and not batch.can_confirm
    page = client.get(response.url).content.decode()
    assert 'data-testid="import-refused"' in page and "confirm-import" not in page
    return page


def batch_of(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=response.url.rstrip("/").split("/")[-1])


# --- acceptance 6 ----------------------------------------------------------------------------


def test_three_bad_rows_are_listed_exactly_and_nothing_is_written(client_a, company_a, unit_a2):
    response = upload(client_a, xlsx_upload(bad_rows()), company_a)
    batch = batch_of(response)
    found = [(e["row"], e["column"], e["letter"]) for e in batch.errors]
    assert found == [(3, "手机", "B"), (4, "身份证号", "C"), (5, "签约日期", "L")]
    assert batch.status == ImportBatch.Status.DRY_RUN and not batch.can_confirm
    assert Customer.objects.count() == 0 and Ownership.objects.count() == 0
    page = client_a.get(response.url)
    assert page.content.decode().count('data-testid="import-error"') == 3
    assert "confirm-import" not in page.content.decode()


def test_corrected_file_imports_customers_and_ownerships(client_a, company_a, unit_a, unit_a2):
    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    assert batch.errors == [] and batch.can_confirm
    assert (batch.row_count, batch.customer_count, batch.ownership_count) == (5, 5, 2)
    assert Customer.objects.count() == 0  # the dry run writes nothing
    response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.imported_at
    assert Customer.objects.filter(company=company_a).count() == 5
    zhang = Customer.objects.get(mobile="+8613812345678")
    assert zhang.kind == Customer.Kind.OWNER and zhang.gender == "M"
    assert zhang.source == Customer.Source.REFERRAL and zhang.marketing_consent
    assert zhang.consent_channel == "import" and zhang.consent_at
    assert zhang.step == LifecycleStep.WAITING
    assert sorted(zhang.tags.values_list("name", flat=True)) == ["VIP", "改善型"]
    ownership = Ownership.objects.get(customer=zhang)
    assert ownership.unit == unit_a and ownership.status == Ownership.Status.CONTRACTED
    assert ownership.price == 3250000
    zhao = Ownership.objects.get(unit=unit_a2)
    assert zhao.customer.name == "赵六" and str(zhao.price) == "2980000.00"
    assert Customer.objects.get(name="李四").mobile == "+8613912345678"
    assert Customer.objects.get(name="钱七").source == Customer.Source.IMPORT


def test_export_has_no_unescaped_formula(client_a, company_a):
    CustomerFactory(company=company_a, name="=1+2", needs="@SUM(A1)", occupation="+cmd|' /C calc'")
    CustomerFactory(company=company_a, name="-2+3", budget="\t=evil")
    response = client_a.get(reverse("customers:export"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = []
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
                values.append(cell.value)
    assert {"'=1+2", "'@SUM(A1)", "'-2+3", "'\t=evil", "'+cmd|' /C calc'"} <= set(values)


# --- refusals --------------------------------------------------------------------------------


def test_wrong_columns_are_refused_listing_missing_and_found(client_a, company_a):
    file = xlsx_upload([["张三", "13812345678"]], headers=["客户", "电话号"])
    text = refusal(client_a, upload(client_a, file, company_a))
    assert "Required columns are missing" in text
    assert "姓名" in text and "手机" in text  # missing
    assert "客户" in text and "电话号" in text  # found
    assert Customer.objects.count() == 0


def test_unit_columns_need_project_and_date_columns(client_a, company_a):
    file = xlsx_upload([["张三", "13812345678", "3-2-1201"]], headers=["姓名", "手机", "房号"])
    assert "项目编码" in refusal(client_a, upload(client_a, file, company_a))


def test_file_over_10_mb_is_refused_with_the_limit(client_a, company_a):
    big = SimpleUploadedFile("big.csv", b"a" * (MAX_BYTES + 1), content_type="text/csv")
    response = upload(client_a, big, company_a)
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_20_mb_file_is_refused(client_a, company_a):
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"\0" * (20 * 1024 * 1024), content_type=XLSX)
    response = upload(client_a, big, company_a)
    assert response.status_code == 400
    assert "20.0" in response.content.decode()


def test_formula_cell_is_reported_never_evaluated(client_a, company_a):
    rows = [['=CONCATENATE("张","三")', "13812345678"], ["李四", "13912345678"]]
    batch = batch_of(upload(client_a, xlsx_upload(rows, headers=["姓名", "手机"]), company_a))
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "姓名")]
    assert "A2" in batch.errors[0]["message"] and "formula" in batch.errors[0]["message"]
    response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    assert Customer.objects.count() == 0


def test_formula_in_a_csv_cell_is_reported(client_a, company_a):
    file = csv_upload("姓名,手机\n张三,=1+13812345678\n")
    batch = batch_of(upload(client_a, file, company_a))
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "手机")]


@pytest.mark.parametrize(
    ("file", "needle"),
    [
        (SimpleUploadedFile("empty.csv", b""), "empty"),
        (SimpleUploadedFile("broken.xlsx", b"not a zip file"), "could not be read"),
        (SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0"), ".xlsx"),
    ],
)
def test_empty_unzipped_or_unknown_files_are_refused_by_the_request(
    client_a, company_a, file, needle
):
    response = upload(client_a, file, company_a)
    assert response.status_code == 400
    assert needle in response.content.decode()
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "needle"),
    [
        (SimpleUploadedFile("blank.csv", b"\n\n , \n"), "empty"),
        (None, "no customer rows"),
        (SimpleUploadedFile("notes.xlsx", zip_of({"notes.txt": b"hello"})), "could not be read"),
        (SimpleUploadedFile("nul.csv", "姓名\x00,手机\n".encode()), "could not be read"),
    ],
)
def test_blank_header_only_or_damaged_files_are_refused_by_the_worker(
    client_a, company_a, file, needle
):
    file = file or xlsx_upload([], headers=HEADERS)
    assert needle in refusal(client_a, upload(client_a, file, company_a))


def test_csv_in_gb18030_and_utf8_bom_are_read(client_a, company_a):
    text = "姓名,手机,性别,标签\n张三,13812345678,男,老客户\n李四,13912345678,女,\n"
    for encoding in ("gb18030", "utf-8-sig"):
        batch = batch_of(upload(client_a, csv_upload(text, encoding), company_a))
        assert batch.errors == [] and batch.row_count == 2
    assert ImportBatch.objects.first().rows[0]["cells"]["name"] == "张三"
    batch = ImportBatch.objects.order_by("pk").first()
    client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert set(Customer.objects.values_list("name", flat=True)) == {"张三", "李四"}
    assert Tag.objects.get(company=company_a).name == "老客户"


def test_confirm_of_batch_with_errors_is_refused(client_a, company_a, unit_a2):
    batch = batch_of(upload(client_a, xlsx_upload(bad_rows()), company_a))
    response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DRY_RUN
    assert Customer.objects.count() == 0 and Ownership.objects.count() == 0


def test_confirm_twice_imports_once(client_a, company_a, unit_a2):
    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    assert "already imported" in response.content.decode()
    assert Customer.objects.count() == 5


def test_data_changed_since_the_dry_run_fails_the_whole_batch(client_a, crm_a, company_a, unit_a2):
    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    customer_create(company=company_a, by=crm_a, name="钱七", mobile="13512345678")
    response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(6, "手机")]
    assert Customer.objects.count() == 1 and Ownership.objects.count() == 0


def test_existing_mobile_is_an_error_not_an_update(client_a, company_a):
    CustomerFactory(company=company_a, name="老张", mobile="+8613812345678")
    batch = batch_of(
        upload(client_a, xlsx_upload([["张三", "13812345678"]], ["姓名", "手机"]), company_a)
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "手机")]
    assert "老张" in batch.errors[0]["message"]


def test_same_mobile_twice_in_file_adds_a_unit_or_is_an_error(client_a, company_a, unit_a, unit_a2):
    headers = ["姓名", "手机", "项目编码", "房号", "认购日期"]
    rows = [
        ["张三", "13812345678", "sz-wkc", "3-2-1201", "2024-03-01"],
        ["张三", "13812345678", "sz-wkc", "3-2-1202", "2024/03/02"],
        ["张三丰", "13812345678", "sz-wkc", "3-2-1201", "2024-03-01"],
        ["李四", "13912345678", "sz-wkc", "3-2-1201", "2024-03-01"],
        ["王五", "13712345678"],
        ["王五", "137-1234-5678"],
    ]
    batch = batch_of(upload(client_a, xlsx_upload(rows, headers), company_a))
    found = [(e["row"], e["column"]) for e in batch.errors]
    assert found == [(4, "姓名"), (4, "房号"), (5, "房号"), (7, "手机")]


def test_unknown_project_unit_and_owned_unit_are_row_errors(client_a, company_a, unit_a, project_b):
    CustomerFactory(company=company_a).ownerships.create(
        unit=unit_a, subscribed_on=datetime.date(2024, 1, 1)
    )
    headers = ["姓名", "手机", "项目编码", "房号", "认购日期", "角色"]
    rows = [
        ["张三", "13812345678", "sz-wkc", "3-2-1201", "2024-03-01", "业主"],
        ["李四", "13912345678", "sz-wkc", "3-2-1201", "2024-03-01", "共有人"],
        ["王五", "13712345678", "sz-wkc", "9-9-999", "2024-03-01", ""],
        ["赵六", "13612345678", project_b.code, "5-1-801", "2024-03-01", ""],
        ["钱七", "13512345678", "", "3-2-1201", "", ""],
    ]
    batch = batch_of(upload(client_a, xlsx_upload(rows, headers), company_a))
    found = [(e["row"], e["column"]) for e in batch.errors]
    assert found == [(2, "房号"), (4, "房号"), (5, "项目编码"), (6, "项目编码"), (6, "认购日期")]


def test_other_company_gets_404(client, crm_b, company_a, unit_a2):
    client.force_login(crm_b)
    response = upload(client, xlsx_upload(good_rows()), company_a)
    assert response.status_code == 404
    batch = ImportBatch.objects.create(company=company_a, file_name="x.xlsx")
    assert client.get(reverse("customers:import_batch", args=[batch.pk])).status_code == 404
    confirm = client.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert confirm.status_code == 404


def test_handler_gets_403(client, handler_a, company_a):
    client.force_login(handler_a)
    assert client.get(reverse("customers:import")).status_code == 403
    response = upload(client, xlsx_upload(good_rows()), company_a)
    assert response.status_code == 403
    batch = ImportBatch.objects.create(company=company_a, file_name="x.xlsx")
    # Customer records are outside a handler's scope (they see tasks sent to them):
    # a record answers 404, the pages 403.
    assert client.get(reverse("customers:import_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("customers:export")).status_code == 403


def test_group_staff_choose_the_company(client, group_staff, company_a, company_b):
    client.force_login(group_staff)
    page = client.get(reverse("customers:import"))
    assert company_a.name in page.content.decode() and company_b.name in page.content.decode()
    file = xlsx_upload([["张三", "13812345678"]], ["name", "mobile"])
    batch = batch_of(upload(client, file, company_b))
    client.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert Customer.objects.get().company == company_b


def test_template_downloads_and_reads_back(client_a, company_a):
    response = client_a.get(reverse("customers:import_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sheet.cell(2, 1).value.startswith("张三")  # the example row, deleted as it says
    sheet.delete_rows(2)
    sheet.append(["李雷", "13812345679"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("filled.xlsx", buffer.getvalue(), content_type=XLSX)
    batch = batch_of(upload(client_a, file, company_a))
    assert batch.errors == [] and batch.row_count == 1
    csv_template = client_a.get(reverse("customers:import_template") + "?format=csv")
    assert csv_template.content.decode("utf-8-sig").startswith(sheet.cell(1, 1).value)


def test_template_example_row_left_in_is_refused_by_row(client_a, company_a):
    """Issue 8: the template has an example row; uploaded as is, the dry run says so."""
    csv_template = client_a.get(reverse("customers:import_template") + "?format=csv")
    header, example = csv_template.content.decode("utf-8-sig").splitlines()[:2]
    assert example.startswith("张三") and ",13812345678," in example
    batch = batch_of(upload(client_a, csv_upload(f"{header}\n{example}\n"), company_a))
    assert {e["row"] for e in batch.errors} == {2}
    assert any("example" in e["message"] or "示例" in e["message"] for e in batch.errors)
    assert not batch.can_confirm and Customer.objects.count() == 0


def test_preview_marks_the_bad_cells_with_their_problem(client_a, company_a, unit_a2):
    response = upload(client_a, xlsx_upload(bad_rows()), company_a)
    page = client_a.get(response.url).content.decode()
    assert page.count('data-testid="bad-cell"') == 3
    assert 'data-testid="import-preview"' in page and "(B)" in page  # column letters


# --- export --------------------------------------------------------------------------------


def _export_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in workbook.active.iter_rows()]


def test_export_masks_id_numbers_for_everyone(client, crm_a, group_staff, company_a):
    # Group staff reveal one number at a time on the customer page (recorded); an
    # export of thousands of full numbers would bypass that audit.
    customer = CustomerFactory(company=company_a)
    for user, shown in (
        (crm_a, customer.id_number_masked),
        (group_staff, customer.id_number_masked),
    ):
        client.force_login(user)
        rows = _export_rows(client.get(reverse("customers:export")))
        assert rows[1][2] == shown
        assert rows[1][1] == customer.mobile[3:]


def test_export_follows_list_filters_and_scope(client_a, company_a, company_b):
    CustomerFactory(company=company_a, name="甲", kind=Customer.Kind.OWNER)
    CustomerFactory(company=company_a, name="乙")
    CustomerFactory(company=company_b, name="丙", kind=Customer.Kind.OWNER)
    rows = _export_rows(client_a.get(reverse("customers:export") + "?kind=owner"))
    assert [r[0] for r in rows[1:]] == ["甲"]
    response = client_a.get(reverse("customers:export") + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "甲" in text and "乙" in text and "丙" not in text


def test_export_csv_neutralises_formulas(client_a, company_a):
    CustomerFactory(company=company_a, name='=HYPERLINK("http://x")')
    response = client_a.get(reverse("customers:export") + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=" not in text and ",=" not in text


def test_export_with_invalid_filter_is_400(client_a, project_b):
    response = client_a.get(reverse("customers:export") + f"?project={project_b.pk}")
    assert response.status_code == 400


def test_export_reads_back_into_the_import(client_a, company_a):
    CustomerFactory(company=company_a, name="=1+2", mobile="+8613812345678", id_number="")
    content = b"".join(client_a.get(reverse("customers:export")).streaming_content)
    Customer.objects.all().delete()
    file = SimpleUploadedFile("export.xlsx", content, content_type=XLSX)
    batch = batch_of(upload(client_a, file, company_a))
    assert batch.errors == []
    client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert Customer.objects.get().name == "=1+2"


def test_neutralise_only_touches_formula_like_text():
    assert neutralise("=1") == "'=1" and neutralise("\r=1") == "'\r=1"
    assert neutralise("张三") == "张三" and neutralise(-5) == -5 and neutralise(None) is None


# --- big files go to the worker --------------------------------------------------------------


@pytest.fixture
def small_sync_limit(monkeypatch):
    from customers.services import imports

    monkeypatch.setattr(imports, "SYNC_ROWS", 2)


def test_big_file_is_imported_by_the_worker_once(
    client_a, crm_a, company_a, unit_a2, small_sync_limit, django_capture_on_commit_callbacks
):
    from customers.tasks_io import import_batch_run

    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    confirm = reverse("customers:import_confirm", args=[batch.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        assert client_a.post(confirm).status_code == 302
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING and Customer.objects.count() == 0
    assert 'http-equiv="refresh"' in client_a.get(batch_url(batch)).content.decode()
    assert client_a.post(confirm).status_code == 400  # a second click does not queue again
    assert import_batch_run(batch.pk, crm_a.pk) == ImportBatch.Status.IMPORTED
    assert import_batch_run(batch.pk, crm_a.pk) == ImportBatch.Status.IMPORTED
    assert Customer.objects.count() == 5 and Ownership.objects.count() == 2


def test_rows_written_by_the_import_worker_name_who_confirmed(
    client_a, crm_a, company_a, unit_a2, small_sync_limit, django_capture_on_commit_callbacks
):
    from customers.tasks_io import import_batch_run

    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    with django_capture_on_commit_callbacks():
        client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert import_batch_run(batch.pk, crm_a.pk) == ImportBatch.Status.IMPORTED
    users = {record.history_user for record in Customer.history.all()}
    assert users == {crm_a}


def test_queued_import_fails_when_the_confirmer_lost_the_role(
    client_a, crm_a, company_a, unit_a2, small_sync_limit, django_capture_on_commit_callbacks
):
    from customers.tasks_io import import_batch_run

    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    with django_capture_on_commit_callbacks():
        client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    crm_a.memberships.update(is_active=False)
    assert import_batch_run(batch.pk, crm_a.pk) == ImportBatch.Status.FAILED
    batch.refresh_from_db()
    assert batch.errors[0]["message"] and Customer.objects.count() == 0


def batch_url(batch):
    return reverse("customers:import_batch", args=[batch.pk])


def test_workbook_that_unpacks_too_big_is_refused(client_a, company_a, monkeypatch):
    from customers.importing import limits

    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 1000)
    text = refusal(client_a, upload(client_a, xlsx_upload(good_rows()), company_a))
    assert "unpacks to more than" in text


def test_more_rows_than_the_limit_are_refused(client_a, company_a, monkeypatch):
    from customers.importing import limits

    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    for file in (xlsx_upload(good_rows()), csv_upload("姓名,手机\n" + "张三,13812345678\n" * 4)):
        text = refusal(client_a, upload(client_a, file, company_a))
        assert "more than 3 rows" in text
    assert Customer.objects.count() == 0


def test_export_query_count_does_not_grow_with_rows(
    client_a, company_a, unit_a, django_assert_max_num_queries
):
    tag = Tag.objects.create(company=company_a, name="VIP")
    for i in range(30):
        customer = CustomerFactory(company=company_a, name=f"客户{i}")
        customer.tags.add(tag)
    Ownership.objects.create(
        customer=customer, unit=unit_a, subscribed_on=datetime.date(2024, 3, 1)
    )
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("customers:export"))
        rows = _export_rows(response)
    assert len(rows) == 31 and "3-2-1201" in rows[-1][14] and rows[-1][8] == "VIP"


def test_queue_down_leaves_the_batch_ready_to_confirm_again(
    client_a, company_a, unit_a2, small_sync_limit, monkeypatch, django_capture_on_commit_callbacks
):
    from customers import tasks_io

    def broken(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks_io.import_batch_run, "delay", broken)
    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DRY_RUN and batch.can_confirm
    assert Customer.objects.count() == 0


def test_id_number_typed_as_a_formula_is_not_echoed_in_full(client_a, company_a):
    file = csv_upload('姓名,手机,身份证号\n张三,13812345678,"=""440305198501010012"""\n')
    batch = batch_of(upload(client_a, file, company_a))
    page = client_a.get(reverse("customers:import_batch", args=[batch.pk])).content.decode()
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "身份证号")]
    assert "440305198501010012" not in page


def test_lost_queued_import_is_queued_again_then_failed(
    company_a, crm_a, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from customers import tasks_io
    from customers.services.imports import MAX_QUEUE_ATTEMPTS, imports_requeue_stale

    queued = []
    monkeypatch.setattr(tasks_io.import_batch_run, "delay", lambda *args: queued.append(args))
    batch = ImportBatch.objects.create(
        company=company_a,
        file_name="big.xlsx",
        status=ImportBatch.Status.IMPORTING,
        confirmed_by=crm_a,
        queue_attempts=1,
    )
    later = timezone.now() + timedelta(minutes=11)
    assert imports_requeue_stale(now=timezone.now()) == 0  # not stale yet
    for attempt in range(2, MAX_QUEUE_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            assert imports_requeue_stale(now=later) == 1
        batch.refresh_from_db()
        assert batch.queue_attempts == attempt and batch.status == "importing"
        later += timedelta(minutes=11)
    assert queued == [(batch.pk, crm_a.pk)] * (MAX_QUEUE_ATTEMPTS - 1)
    imports_requeue_stale(now=later)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.error_count == 1


# --- the batch on the platform's transitions --------------------------------------------------


def events_of(batch):
    from audit.models import StateEvent

    return list(
        StateEvent.objects.filter(object_id=batch.pk, content_type__model="importbatch")
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def test_each_step_of_a_batch_is_an_event_naming_who_acted(
    client_a, crm_a, company_a, unit_a2, small_sync_limit, django_capture_on_commit_callbacks
):
    from customers.tasks_io import import_batch_run

    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    with django_capture_on_commit_callbacks():
        client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    import_batch_run(batch.pk, crm_a.pk)
    assert events_of(batch) == [
        ("checked", "checking", "dry_run", "crm_a"),  # the worker acts as the uploader
        ("queue", "dry_run", "importing", "crm_a"),
        ("imported", "importing", "imported", "crm_a"),  # … and as the confirmer
    ]
    page = client_a.get(batch_url(batch)).content.decode()
    assert 'data-testid="batch-events"' in page and "Imported by the worker" in page


def test_a_stale_batch_failed_by_the_sweep_names_the_system(
    client_a, crm_a, company_a, unit_a2, small_sync_limit, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from customers.services.imports import MAX_QUEUE_ATTEMPTS, imports_requeue_stale

    batch = batch_of(upload(client_a, xlsx_upload(good_rows()), company_a))
    with django_capture_on_commit_callbacks():
        client_a.post(reverse("customers:import_confirm", args=[batch.pk]))
    ImportBatch.objects.filter(pk=batch.pk).update(
        queue_attempts=MAX_QUEUE_ATTEMPTS, updated_at=timezone.now() - timedelta(hours=1)
    )
    assert imports_requeue_stale() == 1
    assert events_of(batch)[-1] == ("fail", "importing", "failed", "system")


def test_confirming_twice_is_refused_with_the_state_named(client_a, company_a):
    batch = batch_of(upload(client_a, csv_upload("姓名,手机\n张三,13812345678\n"), company_a))
    confirm = reverse("customers:import_confirm", args=[batch.pk])
    assert client_a.post(confirm).status_code == 302
    again = client_a.post(confirm)
    assert again.status_code == 400
    assert "This file was already imported." in again.content.decode()
    assert [e[0] for e in events_of(batch)] == ["checked", "import"]
