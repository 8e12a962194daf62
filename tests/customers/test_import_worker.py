"""Issue 7, defect 3, end to end: a real Celery worker (Redis broker) checks the files
the upload request only stored, and refuses the blank-cell workbook."""

import time

import pytest
from django.urls import reverse

from customers.models import ImportBatch
from tests.notifications.test_worker import _read, worker  # noqa: F401 (the fixture)

from .test_import_limits import blank_cell_workbook, workbook_bytes, xlsx


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """One MEDIA_ROOT for this process and the worker it starts."""
    root = str(tmp_path / "media")
    settings.MEDIA_ROOT = root
    monkeypatch.setenv("MEDIA_ROOT", root)
    return root


def _wait_until_checked(batch_ids, process) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batches = ImportBatch.objects.in_bulk(batch_ids)
        if all(b.status != ImportBatch.Status.CHECKING for b in batches.values()):
            return batches
        if process.poll() is not None:
            pytest.fail(f"the worker exited early:\n{_read(process.log_path)}")
        time.sleep(0.5)
    pytest.fail(f"still checking after 60 s; worker output:\n{_read(process.log_path)}")


@pytest.mark.worker
def test_real_worker_checks_stored_uploads(
    shared_media,
    worker,  # noqa: F811 (the fixture imported above)
    client,
    crm_a,
    company_a,
    settings,
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(crm_a)
    ids = []
    for content in (workbook_bytes([["张三", "13812345678"]]), blank_cell_workbook(192 << 20)):
        response = client.post(
            reverse("customers:import"), {"company": company_a.pk, "file": xlsx(content)}
        )
        assert response.status_code == 302
        ids.append(int(response.url.rstrip("/").split("/")[-1]))
    batches = _wait_until_checked(ids, worker)
    good, blank = batches[ids[0]], batches[ids[1]]
    assert good.status == ImportBatch.Status.DRY_RUN and good.can_confirm and good.row_count == 1
    assert blank.status == ImportBatch.Status.REFUSED
    assert "unpacks to more than 50 MB" in blank.refusal
    page = client.get(reverse("customers:import_batch", args=[blank.pk])).content.decode()
    assert blank.refusal in page
