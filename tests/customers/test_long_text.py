"""Long text in customer data: what the dry run passes, the confirmation imports, and
a value that does not fit is refused by field (never a database error, a 500).
The generated side of it (every form and serializer) is tests/test_max_length.py."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import RegexValidator
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image

from customers.models import Customer, ImportBatch, RiskItem
from customers.services import customer_create, customer_merge, visit_register
from customers.services.import_check import import_check
from customers.services.imports import import_confirm
from customers.tasks_io import import_batch_check

pytestmark = pytest.mark.django_db

COLUMNS = {
    "name": {"header": "姓名", "letter": "A"},
    "mobile": {"header": "手机", "letter": "B"},
    "occupation": {"header": "职业", "letter": "C"},
    "tags": {"header": "标签", "letter": "D"},
}


def rows_of(*cells):
    """Rows as the reader gives them: Excel's row numbers, the header being row 1."""
    return [{"row": i, "cells": c} for i, c in enumerate(cells, start=2)]


def checked_batch(company, by, rows) -> ImportBatch:
    """The batch a clean dry run leaves behind, ready to confirm."""
    plan = import_check(company=company, rows=rows, columns=COLUMNS)
    assert plan.errors == []
    return ImportBatch.objects.create(
        company=company,
        uploaded_by=by,
        file_name="客户.xlsx",
        columns=COLUMNS,
        rows=rows,
        row_count=len(rows),
        customer_count=len(plan.customers),
    )


def test_names_of_40_and_64_characters_import_after_a_clean_dry_run(company_a, crm_a):
    names = ["欧阳" * 20, "测" * 64, "İ" * 64]  # "İ" is two characters in lower case
    rows = rows_of(*({"name": n, "mobile": f"1370000000{i}"} for i, n in enumerate(names)))
    batch = import_confirm(batch=checked_batch(company_a, crm_a, rows), by=crm_a)
    assert batch.status == ImportBatch.Status.IMPORTED
    imported = {c.name: c for c in Customer.objects.filter(company=company_a)}
    assert set(imported) == set(names)
    assert imported["欧阳" * 20].name_initials == "oy" * 20
    assert len(imported["İ" * 64].name_initials) <= 64


def test_a_40_character_name_imports_through_the_pages_after_a_clean_dry_run(
    client, crm_a, company_a, settings, tmp_path
):
    """As a person does it: upload (the worker checks the file), read the clean dry
    run, confirm. The name, its pinyin and its initials are all stored."""
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(crm_a)
    name = "欧阳" * 20
    upload = SimpleUploadedFile("客户.csv", f"姓名,手机\n{name},13700000001\n".encode())
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(
            reverse("customers:import"), {"company": company_a.pk, "file": upload}
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    import_batch_check(batch.pk)  # what the worker runs
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DRY_RUN and batch.errors == [] and batch.can_confirm
    confirmed = client.post(reverse("customers:import_confirm", args=[batch.pk]))
    assert confirmed.status_code == 302
    customer = Customer.objects.get(company=company_a)
    assert customer.name == name and customer.name_initials == "oy" * 20
    assert customer.name_pinyin == "ouyang" * 20


def test_dry_run_names_the_column_and_limit_of_a_value_that_would_not_fit(company_a):
    rows = rows_of(
        {"name": "测" * 65, "mobile": "13700000001"},
        {"name": "张三", "mobile": "13700000002", "occupation": "教" * 65},
        {"name": "李四", "mobile": "13700000003", "tags": "标" * 33},
    )
    with translation.override("zh-hans"):
        plan = import_check(company=company_a, rows=rows, columns=COLUMNS)
    found = [(e["row"], e["column"], e["letter"], e["message"]) for e in plan.errors]
    assert found == [
        (2, "姓名", "A", "最多 64 个字符。"),
        (3, "职业", "C", "最多 64 个字符。"),
        (4, "标签", "D", "每个标签最多 32 个字符。"),
    ]
    assert plan.customers == []


def test_dry_run_runs_the_models_own_checks_as_the_confirmation_does(company_a, crm_a, monkeypatch):
    """A rule on a customer field (here one added for the test) is reported by the dry
    run, on its column; the confirmation's services refuse the same value."""
    field = Customer._meta.get_field("occupation")
    rule = RegexValidator(r"^[^0-9]*$", "No digits in an occupation.")
    monkeypatch.setattr(field, "validators", [*field.validators, rule])
    rows = rows_of({"name": "张三", "mobile": "13700000001", "occupation": "教师3"})
    plan = import_check(company=company_a, rows=rows, columns=COLUMNS)
    assert [(e["column"], e["message"]) for e in plan.errors] == [
        ("职业", "No digits in an occupation.")
    ]
    with pytest.raises(ValidationError) as refused:
        customer_create(
            company=company_a, by=crm_a, name="张三", mobile="13700000001", occupation="教师3"
        )
    assert refused.value.message_dict == {"occupation": ["No digits in an occupation."]}


def test_services_refuse_text_longer_than_its_column_by_field(company_a, crm_a, project_a):
    """Callers without a form (the import, the shell, a task) get a ValidationError."""
    with pytest.raises(ValidationError) as refused:
        customer_create(company=company_a, by=crm_a, name="测" * 65, mobile="13700000001")
    assert list(refused.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as refused:
        visit_register(project=project_a, by=crm_a, name="测" * 65, mobile="13700000002")
    assert list(refused.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as refused:
        visit_register(
            project=project_a,
            by=crm_a,
            name="张三",
            mobile="13700000003",
            companions_note="测" * 201,
        )
    assert list(refused.value.message_dict) == ["companions_note"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_merging_customers_with_the_longest_names_keeps_a_history_line(
    company_a, crm_a, project_a, language
):
    with translation.override(language):
        kept = visit_register(project=project_a, by=crm_a, name="测" * 64, mobile="13700000001")
        merged = visit_register(project=project_a, by=crm_a, name="測" * 64, mobile="13700000002")
        customer_merge(source=merged.customer, target=kept.customer, by=crm_a)
        reasons = [
            r for r in kept.customer.history.values_list("history_change_reason", flat=True) if r
        ]
        expected = translation.gettext("Merged customer #%(id)s (%(name)s) into this record")
    assert len(reasons) == 1 and len(reasons[0]) <= 100
    assert reasons[0].startswith(expected.split("%(id)s")[0] + str(merged.customer.pk))
    assert "測" in reasons[0] and reasons[0].endswith(expected.split("%(name)s")[1])


@pytest.mark.parametrize("character", ["测", "𠀀"])  # three and four bytes in UTF-8
def test_a_picture_with_a_long_chinese_file_name_is_stored(
    client, crm_a, project_a, settings, tmp_path, character
):
    """A file system takes 255 bytes a name: 84 four-byte characters (what is left of
    a 200-character name in the 100-character column) were an OSError, a 500."""
    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    picture = SimpleUploadedFile(character * 200 + ".png", buffer.getvalue(), "image/png")
    client.force_login(crm_a)
    data = {"kind": "road", "title": "高架路", "distance_m": 300, "description": "北侧高架。"}
    response = client.post(
        reverse("customers:risk_item_create", args=[project_a.pk]), {**data, "picture": picture}
    )
    assert response.status_code == 302
    stored = RiskItem.objects.get().picture
    assert stored.name.endswith(".png") and character in stored.name
    assert stored.storage.exists(stored.name)
    assert all(len(part.encode()) <= 255 for part in stored.name.split("/"))
