"""Import, export and segments: pages for customer-relations staff.

Another company's batch or segment answers 404; staff without the CRM role get 403
(both raised by the services' access checks, turned into pages by `staff_view`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import HttpResponseClientRefresh

from audit.selectors import state_events_for
from org.models import Company
from vanke_crm.pages import act, paginate, refused_status, staff_view, submit
from vanke_crm.transitions import history_entries

from .. import exporting
from ..forms_io import ImportForm, SegmentForm
from ..models import ImportBatch, Segment
from ..services import exports, import_files, imports, segments
from ..services.access import access_customer_write


def _crumbs(*items):
    return [(_("Customers"), reverse("customers:list")), *items]


def _segment_crumbs(*items):
    return _crumbs((_("Segments"), reverse("customers:segment_list")), *items)


# --- import ------------------------------------------------------------------------------


@staff_view
def import_start(request):
    segments.access_customer_lists(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    batch = submit(
        request,
        form,
        lambda data: import_files.import_upload(
            company=data["company"], by=request.user, upload=data["file"]
        ),
    )
    if batch is not None:
        return redirect("customers:import_batch", pk=batch.pk)
    title = _("Import customers")
    batches = ImportBatch.objects.filter(company__in=segments.crm_companies(request.user))
    context = {
        "title": title,
        "breadcrumbs": _crumbs((title, "")),
        "form": form,
        "batches": batches.select_related("company", "uploaded_by")[:10],
        "columns": exporting.column_help(),
    }
    return render(request, "customers/io/import.html", context, status=refused_status(form))


@staff_view
@require_GET
def import_template(request):
    segments.access_customer_lists(request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(exporting.template_csv(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="customer-import-template.csv"'
        return response
    return FileResponse(
        exporting.template_xlsx(),
        as_attachment=True,
        filename="customer-import-template.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _batch(request, pk) -> ImportBatch:
    batch = get_object_or_404(
        ImportBatch.objects.for_user(request.user).select_related("company", "uploaded_by"),
        pk=pk,
    )
    access_customer_write(request.user, batch.company_id)
    return batch


def _batch_page(request, batch, status=200):
    errors = Paginator(batch.errors, 100).get_page(request.GET.get("page"))
    title = _("Import of %(file)s") % {"file": batch.file_name}
    context = {
        "title": title,
        "breadcrumbs": _crumbs((_("Import customers"), reverse("customers:import")), (title, "")),
        "batch": batch,
        "page_obj": errors,
        "preview": imports.import_preview(batch, user=request.user),
        "events": history_entries(state_events_for(batch)),
    }
    return render(request, "customers/io/batch.html", context, status=status)


@staff_view
@require_GET
def import_batch(request, pk):
    batch = _batch(request, pk)
    if request.htmx:  # the "checking the file" card polls until the worker is done
        if batch.status == ImportBatch.Status.CHECKING:
            return render(request, "customers/io/batch.html#checking", {"batch": batch})
        return HttpResponseClientRefresh()
    return _batch_page(request, batch)


@staff_view
@require_POST
def import_confirm(request, pk):
    batch = _batch(request, pk)
    confirmed, status = act(request, lambda: imports.import_confirm(batch=batch, by=request.user))
    if confirmed is None:
        batch.refresh_from_db()
        return _batch_page(request, batch, status=status)
    batch = confirmed
    if batch.status == ImportBatch.Status.IMPORTING:
        batch.refresh_from_db(fields=["status"])
    if batch.status == ImportBatch.Status.IMPORTING:
        messages.info(request, _("The import was started; it runs in the background."))
    elif batch.status == ImportBatch.Status.DRY_RUN:
        messages.error(request, _("The import could not be started; please try again shortly."))
    else:
        messages.success(
            request,
            _("Imported %(customers)s customers and %(units)s units.")
            % {"customers": batch.customer_count, "units": batch.ownership_count},
        )
    return redirect("customers:import_batch", pk=batch.pk)


# --- export ------------------------------------------------------------------------------


def _export(request, queryset, name: str, segment=None):
    """A list up to exports.inline_max() customers downloads at once; a longer one asks
    to be prepared in the background (POST) and then shows its progress."""
    # Exports always mask ID numbers: a full number is shown one at a time on the
    # customer page, where group staff press "reveal" and the reveal is recorded.
    reveal = False
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if request.method == "POST":
        job = exports.export_request(
            user=request.user,
            format=fmt,
            name=f"{name}-{stamp}",
            filters=request.GET if segment is None else None,
            segment=segment,
        )
        messages.info(request, _("The export was started; it runs in the background."))
        return redirect("customers:export_job", pk=job.pk)
    count = queryset.count()
    if count > exports.inline_max():
        title = _("Export %(count)s customers") % {"count": count}
        return render(
            request,
            "customers/io/export_start.html",
            {
                "title": title,
                "breadcrumbs": _crumbs((title, "")),
                "count": count,
                "format": fmt,
                "back": reverse("customers:list") + "?" + request.GET.urlencode()
                if segment is None
                else reverse("customers:segment_list"),
            },
        )
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporting.csv_lines(queryset, reveal_id=reveal), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
    return FileResponse(
        exporting.write_xlsx(queryset, reveal_id=reveal, title=_("Customers")),
        as_attachment=True,
        filename=f"{name}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def export(request):
    """The customer list as filtered (same GET parameters as the list) to .xlsx/.csv."""
    segments.access_customer_lists(request.user)
    queryset = exports.list_queryset(request.user, request.GET)
    if queryset is None:
        messages.error(request, _("The list's filters are not valid; nothing was exported."))
        return render(request, "400.html", {"title": _("Bad request")}, status=400)
    return _export(request, queryset, "customers")


@staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def segment_export(request, pk):
    segment = _segment(request, pk)
    return _export(
        request,
        segments.segment_customers(request.user, segment),
        f"segment-{pk}",
        segment=segment,
    )


@staff_view
@require_safe
def export_job(request, pk):
    """The requester's export: progress while the worker writes it, then the link."""
    segments.access_customer_lists(request.user)
    job = exports.job_for(request.user, pk)
    if job is None:
        raise Http404
    context = {
        "job": job,
        "keep_days": exports.KEEP_DAYS,
        "title": _("Customer export"),
        "breadcrumbs": _crumbs((_("Export"), "")),
    }
    if request.htmx:
        return render(request, "customers/io/export_job.html#progress", context)
    return render(request, "customers/io/export_job.html", context)


# --- segments ----------------------------------------------------------------------------


def _segment(request, pk) -> Segment:
    segment = get_object_or_404(
        Segment.objects.for_user(request.user).select_related("company"), pk=pk
    )
    segments.segment_access(request.user, segment)
    return segment


@staff_view
@require_GET
def segment_list(request):
    segments.access_customer_lists(request.user)
    page = paginate(request, segments.segments_for(request.user))
    counts = segments.segment_counts(request.user, page.object_list)  # one query
    for segment in page.object_list:
        segment.live_count = counts[segment.pk]
        segment.query = segments.as_querydict(segment.filters).urlencode()
    title = _("Segments")
    return render(
        request,
        "customers/io/segment_list.html",
        {"title": title, "breadcrumbs": _crumbs((title, "")), "page_obj": page},
    )


def _segment_form_page(request, form, title, crumbs, count_url, status=200):
    context = {"title": title, "breadcrumbs": crumbs, "form": form, "count_url": count_url}
    return render(request, "customers/io/segment_form.html", context, status=status)


@staff_view
def segment_create(request):
    segments.access_customer_lists(request.user)
    form = SegmentForm(request.POST or None, user=request.user, request=request)
    segment = submit(
        request,
        form,
        lambda data: segments.segment_create(
            company=data["company"], name=data["name"], filters=form.filters(), by=request.user
        ),
    )
    if segment is not None:
        messages.success(request, _("Segment %(name)s was saved.") % {"name": segment.name})
        return redirect("customers:segment_list")
    title = _("New segment")
    crumbs = _segment_crumbs((title, ""))
    count_url = reverse("customers:segment_count")
    return _segment_form_page(request, form, title, crumbs, count_url, refused_status(form))


@staff_view
def segment_edit(request, pk):
    segment = _segment(request, pk)
    initial = {"name": segment.name, **segment.filters}
    form = SegmentForm(
        request.POST or None,
        user=request.user,
        request=request,
        initial=initial,
        with_company=False,
    )
    saved = submit(
        request,
        form,
        lambda data: segments.segment_update(
            segment=segment, by=request.user, name=data["name"], filters=form.filters()
        ),
    )
    if saved is not None:
        messages.success(request, _("Segment %(name)s was saved.") % {"name": saved.name})
        return redirect("customers:segment_list")
    title = _("Edit segment %(name)s") % {"name": segment.name}
    count_url = reverse("customers:segment_count") + f"?company={segment.company_id}"
    crumbs = _segment_crumbs((title, ""))
    return _segment_form_page(request, form, title, crumbs, count_url, refused_status(form))


@staff_view
@require_POST
def segment_delete(request, pk):
    segment = _segment(request, pk)
    segments.segment_delete(segment=segment, by=request.user)
    messages.success(request, _("Segment %(name)s was deleted.") % {"name": segment.name})
    return redirect("customers:segment_list")


@staff_view
@require_GET
def segment_count(request):
    """The live count partial: how many customers the filters being edited match."""
    segments.access_customer_lists(request.user)
    company = _count_company(request)
    context = {"count": None, "count_error": ""}
    if company is not None:
        count = segments.segment_live_count(request.user, company=company, filters=request.GET)
        context["count"] = count
        if count is None:
            context["count_error"] = _("Check the filters.")
    return render(request, "customers/io/segment_form.html#live_count", context)


def _count_company(request):
    company_id = request.GET.get("company")
    if company_id and company_id.isdigit():
        return get_object_or_404(Company, pk=int(company_id))
    companies = list(segments.crm_companies(request.user)[:2])
    return companies[0] if len(companies) == 1 else None


urlpatterns = [
    path("import/", import_start, name="import"),
    path("import/template/", import_template, name="import_template"),
    path("import/<int:pk>/", import_batch, name="import_batch"),
    path("import/<int:pk>/confirm/", import_confirm, name="import_confirm"),
    path("export/", export, name="export"),
    path("exports/<int:pk>/", export_job, name="export_job"),
    path("segments/", segment_list, name="segment_list"),
    path("segments/new/", segment_create, name="segment_create"),
    path("segments/count/", segment_count, name="segment_count"),
    path("segments/<int:pk>/edit/", segment_edit, name="segment_edit"),
    path("segments/<int:pk>/delete/", segment_delete, name="segment_delete"),
    path("segments/<int:pk>/export/", segment_export, name="segment_export"),
]
