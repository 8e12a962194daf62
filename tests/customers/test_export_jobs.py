"""Issue 8: a large export (~34 s for 21,800 rows) ran in the request with no feedback.
A list longer than CUSTOMER_EXPORT_INLINE_MAX is written by the worker: a page with its
progress, then a download link that only the requester can follow; ID numbers stay
masked; a lost task is queued again by the beat sweep and old files are removed."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer, ExportJob
from customers.services import exports
from customers.services.segments import segment_create
from org.models import Role
from tests.factories import make_staff

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_inline_limit(settings, tmp_path):
    settings.CUSTOMER_EXPORT_INLINE_MAX = 2
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def people(company_a, company_b):
    made = [
        CustomerFactory(company=company_a, name=f"客户{i}", kind=Customer.Kind.OWNER)
        for i in range(4)
    ]
    CustomerFactory(company=company_a, name="访客")
    CustomerFactory(company=company_b, name="别家")
    return made


def _start(client, url):
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="export-start"' in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("customers:export_job", args=[job.pk])
    return job


def _workbook_rows(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for row in workbook.active.iter_rows()]


def test_a_large_export_runs_as_a_job_with_progress_and_a_private_link(
    client, crm_a, company_a, people, monkeypatch
):
    client.force_login(crm_a)
    job = _start(client, reverse("customers:export") + "?kind=owner")
    assert job.status == ExportJob.Status.QUEUED and job.requested_by == crm_a
    assert job.filters == {"kind": "owner"}

    page = client.get(reverse("customers:export_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page

    seen = []
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    real = exports._progress
    monkeypatch.setattr(exports, "_progress", lambda pk, n: (real(pk, n), seen.append(n))[0])
    job = exports.export_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE and job.total == 4
    assert seen == [1, 2, 3, 4]  # the progress moved row by row

    page = client.get(reverse("customers:export_job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page
    link = reverse("media", args=[job.file.name])
    assert link in page and job.file.name.startswith("exports/")
    download = client.get(link)
    assert download.status_code == 200
    rows = _workbook_rows(b"".join(download.streaming_content))
    assert sorted(r[0] for r in rows[1:]) == ["客户0", "客户1", "客户2", "客户3"]
    masked = {c.id_number_masked for c in people}
    assert {r[2] for r in rows[1:]} == masked  # decision 0012: never a full number


def test_the_file_and_the_page_are_the_requesters_alone(
    client, crm_a, group_staff, company_a, people
):
    job = exports.export_request(user=crm_a, format="xlsx", name="customers", filters={})
    job = exports.export_run(job_id=job.pk)
    link = reverse("media", args=[job.file.name])
    colleague = make_staff(Role.COMPANY_CRM, company_a, username="crm_a2")
    for other in (colleague, group_staff):
        client.force_login(other)
        assert client.get(link).status_code == 404
        assert client.get(reverse("customers:export_job", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(link).status_code == 404


def test_csv_and_segment_exports_run_as_jobs_too(client, crm_a, company_a, people):
    segment = segment_create(company=company_a, name="业主", filters={"kind": ["owner"]}, by=crm_a)
    client.force_login(crm_a)
    job = _start(client, reverse("customers:segment_export", args=[segment.pk]) + "?format=csv")
    assert job.segment == segment and job.format == "csv"
    job = exports.export_run(job_id=job.pk)
    with job.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    assert "客户3" in text and "访客" not in text and "别家" not in text


def test_a_short_list_still_downloads_at_once(client, crm_a, company_a, company_b):
    CustomerFactory(company=company_a, name="甲")
    client.force_login(crm_a)
    response = client.get(reverse("customers:export"))
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert _workbook_rows(b"".join(response.streaming_content))[1][0] == "甲"


def test_refusals_start_no_job(client, crm_a, handler_a, company_a, people):
    client.force_login(handler_a)
    assert client.post(reverse("customers:export")).status_code == 403
    client.force_login(crm_a)
    bad = client.post(reverse("customers:export") + "?step=no-such-step")
    assert bad.status_code == 400
    assert not ExportJob.objects.exists()
    assert client.get(reverse("customers:export_job", args=[999])).status_code == 404


def test_running_twice_writes_once(crm_a, company_a, people):
    job = exports.export_request(user=crm_a, format="xlsx", name="customers", filters={})
    first = exports.export_run(job_id=job.pk)
    name = first.file.name
    again = exports.export_run(job_id=job.pk)
    assert again.status == ExportJob.Status.DONE and again.file.name == name


def test_the_sweep_requeues_a_lost_job_then_fails_it_and_removes_old_files(
    crm_a, company_a, people, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(exports, "_enqueue", queued.append)
    job = exports.export_request(user=crm_a, format="xlsx", name="customers", filters={})
    later = timezone.now() + exports.STALE_AFTER + datetime.timedelta(minutes=1)
    for attempt in range(1, exports.MAX_QUEUE_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            assert exports.exports_sweep(now=later) == 1
        job.refresh_from_db()
        assert job.queue_attempts == attempt and job.status == ExportJob.Status.QUEUED
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - exports.STALE_AFTER * 2)
    exports.exports_sweep(now=later)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error
    assert queued.count(job.pk) == exports.MAX_QUEUE_ATTEMPTS

    old = exports.export_request(user=crm_a, format="csv", name="old", filters={})
    old.file.save("old.csv", ContentFile(b"x"), save=True)
    stored = old.file.name
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=exports.KEEP_DAYS + 1)
    )
    exports.exports_sweep()
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(stored)
