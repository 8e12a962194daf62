"""Customer list exports: a short list is written in the request; a longer one is a
background job with its progress and a download link for the requester alone
(docs/decisions/0020). ID numbers are always masked (docs/decisions/0012)."""

import datetime
import logging
import tempfile
from functools import partial
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.acting import acting, system_user

from .. import exporting
from ..filters import CustomerFilter
from ..models import Customer, ExportJob, Segment
from .segments import as_querydict, crm_companies, segment_access, segment_customers

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows between two progress updates
STALE_AFTER = datetime.timedelta(minutes=10)  # a job not moving for this long lost its task
MAX_QUEUE_ATTEMPTS = 3
KEEP_DAYS = 7  # a finished export's file is removed after this many days


def inline_max() -> int:
    """Lists up to this many customers are written in the request itself."""
    return getattr(settings, "CUSTOMER_EXPORT_INLINE_MAX", 2000)


def list_queryset(user, filters):
    """The customer list as `user` filtered it (GET values); None when not valid."""
    base = Customer.objects.for_user(user).active().filter(company__in=crm_companies(user))
    data = filters if isinstance(filters, QueryDict) else as_querydict(filters)
    filterset = CustomerFilter(data, queryset=base, request=SimpleNamespace(user=user))
    return filterset.qs if filterset.is_valid() else None


def export_request(*, user, format, name, filters=None, segment=None) -> ExportJob:
    """Queue the export of the list (`filters`, as the list's GET values) or of
    `segment` for `user`; the worker writes it (export_run)."""
    if segment is not None:
        segment_access(user, segment)
    job = ExportJob(
        requested_by=user,
        format=format if format in ExportJob.Format.values else ExportJob.Format.XLSX,
        filters={} if segment is not None else _plain(filters or {}),
        segment=segment,
        name=name,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        job.save()
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _plain(filters) -> dict:
    if isinstance(filters, QueryDict):
        return {k: v if len(v) > 1 else v[0] for k, v in filters.lists() if k != "format"}
    return {k: v for k, v in filters.items() if k != "format"}


def _enqueue(job_id) -> None:
    """After commit; when the queue cannot be reached the sweep queues the job again."""
    from ..tasks_io import export_job_run

    try:
        export_job_run.delay(job_id)
    except Exception:
        logger.exception("customer export %s could not be queued", job_id)


def export_run(*, job_id) -> ExportJob | None:
    """The worker's half: write the file as the requester sees the list, with the
    progress every PROGRESS_EVERY rows. Running it twice writes once."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, updated_at=timezone.now()
    )
    job = ExportJob.objects.select_related("requested_by", "segment").filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    user = job.requested_by
    with acting(user), translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            queryset = _job_queryset(job, user)
            if queryset is None:
                return _fail(job, _("The list's filters are not valid; nothing was exported."))
            job.total = queryset.count()
            ExportJob.objects.filter(pk=job.pk).update(total=job.total)
            progress = partial(_progress, job.pk)
            if job.format == ExportJob.Format.CSV:
                handle = tempfile.TemporaryFile(suffix=".csv")  # noqa: SIM115
                for line in exporting.csv_lines(queryset, reveal_id=False, on_row=progress):
                    handle.write(line.encode("utf-8"))
                handle.seek(0)
            else:
                handle = exporting.write_xlsx(
                    queryset, reveal_id=False, title=_("Customers"), on_row=progress
                )
            with handle:
                stored = default_storage.save(
                    job.file.field.generate_filename(job, f"{job.name}.{job.format}"),
                    File(handle),
                )
        except Exception:
            logger.exception("customer export %s failed", job.pk)
            return _fail(job, _("The export failed; please start it again."))
    job.file.name = stored
    job.done = job.total
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "done", "status", "finished_at", "updated_at"])
    return job


def _job_queryset(job, user):
    if job.segment_id is not None:
        segment_access(user, job.segment)
        return segment_customers(user, job.segment)
    return list_queryset(user, job.filters)


def _progress(job_id, rows: int) -> None:
    if rows % PROGRESS_EVERY == 0:
        ExportJob.objects.filter(pk=job_id).update(done=rows, updated_at=timezone.now())


def _fail(job, message) -> ExportJob:
    job.status = ExportJob.Status.FAILED
    job.error = str(message)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


def exports_sweep(*, now=None) -> int:
    """Beat: queue again a job whose task was lost (no progress for STALE_AFTER), fail
    it after MAX_QUEUE_ATTEMPTS, and remove finished exports older than KEEP_DAYS
    (file and row). Returns how many jobs it touched."""
    now = now or timezone.now()
    touched = 0
    with acting(system_user()):
        stale = ExportJob.objects.filter(
            status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING),
            updated_at__lt=now - STALE_AFTER,
        )
        for job_id in stale.values_list("pk", flat=True):
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job_id)
                if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
                    continue
                touched += 1
                if job.queue_attempts >= MAX_QUEUE_ATTEMPTS:
                    with translation.override(job.language or settings.LANGUAGE_CODE):
                        _fail(job, _("The export could not be written; please start it again."))
                    continue
                job.queue_attempts += 1
                job.status = ExportJob.Status.QUEUED
                job.save(update_fields=["queue_attempts", "status", "updated_at"])
                transaction.on_commit(partial(_enqueue, job.pk))
        old = ExportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=KEEP_DAYS))
        for job in old:
            if job.file:
                job.file.delete(save=False)
            job.delete()
            touched += 1
    return touched


def export_file_access(user, name):
    """vanke_crm.media check for exports/: the requester's own file only (anyone else,
    group staff included, 404: an export is a list of people's personal data)."""
    from vanke_crm.media import Access

    if not (user and user.is_authenticated):
        return None
    mine = ExportJob.objects.filter(
        file=name, requested_by=user, status=ExportJob.Status.DONE
    ).exists()
    return Access.PRIVATE if mine else None


def job_for(user, pk) -> ExportJob | None:
    """The user's own export job (None: not theirs or not there, a 404)."""
    return ExportJob.objects.filter(pk=pk, requested_by=user).first()


def segment_of(user, pk) -> Segment:
    return Segment.objects.for_user(user).select_related("company").get(pk=pk)
