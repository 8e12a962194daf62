"""Segments: saved CustomerFilter values of one company (targets for surveys, events
and notices). The stored filters are plain JSON that `customers_matching` reads."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext as _

from org.models import Company, Project, Role
from org.scoping import RoleRequired

from ..filters import CustomerFilter, customers_matching
from ..models import Customer, Segment, Tag
from .access import access_customer_write

FILTER_KEYS = ("q", "step", "kind", "project", "tags", "marketing_consent", "source")


def crm_companies(user):
    """Companies whose customer data the user may work with (import, export, segments)."""
    return Company.objects.for_user(user, roles=(Role.COMPANY_CRM,))


def access_customer_lists(user) -> None:
    """Segments, imports and exports are for customer-relations staff."""
    if not user.scope.has_role(Role.COMPANY_CRM):
        raise RoleRequired(_("Only customer-relations staff may work with customer lists."))


def segment_access(user, segment) -> None:
    """Out of the user's companies: 404; in them without the CRM role: 403."""
    access_customer_write(user, segment.company_id)


def as_querydict(filters: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in (filters or {}).items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif value not in (None, ""):
            data[key] = str(value)
    return data


def segment_filters_clean(*, company, filters) -> dict:
    """Only the CustomerFilter fields, with valid values, and projects and tags of
    `company`. Raises ValidationError by field. `filters` is a dict or a QueryDict."""
    data = filters if isinstance(filters, QueryDict) else as_querydict(filters)
    form = CustomerFilter(data, queryset=Customer.objects.none()).form
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    data = form.cleaned_data
    errors, clean = {}, {}
    if (data.get("q") or "").strip():
        clean["q"] = data["q"].strip()
    for key in ("step", "kind"):
        if data.get(key):
            clean[key] = list(data[key])
    project = data.get("project")
    if project is not None:
        if project.company_id != company.pk:
            errors["project"] = _("This project belongs to another company.")
        clean["project"] = project.pk
    tags = list(data.get("tags") or [])
    if tags:
        if any(tag.company_id != company.pk for tag in tags):
            errors["tags"] = _("These tags belong to another company.")
        clean["tags"] = sorted(tag.pk for tag in tags)
    if data.get("marketing_consent") is not None:
        clean["marketing_consent"] = bool(data["marketing_consent"])
    if data.get("source"):
        clean["source"] = data["source"]
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_name(company, name, instance=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the segment a name.")})
    if len(name) > Segment._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long.")})
    clash = Segment.objects.filter(company=company, name=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": _("This company already has a segment with this name.")})
    return name


def _unique_save(segment) -> Segment:
    try:
        with transaction.atomic():
            segment.save()
    except IntegrityError as exc:  # two people saving the same name at once
        raise ValidationError(
            {"name": _("This company already has a segment with this name.")}
        ) from exc
    return segment


@transaction.atomic
def segment_create(*, company, name, filters, by) -> Segment:
    """Save a filter of `company`'s customers under a name unique in the company."""
    access_customer_write(by, company.pk)
    name = _clean_name(company, name)
    filters = segment_filters_clean(company=company, filters=filters)
    return _unique_save(Segment(company=company, name=name, filters=filters, created_by=by))


@transaction.atomic
def segment_update(*, segment, by, name=None, filters=None) -> Segment:
    segment_access(by, segment)
    segment = Segment.objects.select_for_update().select_related("company").get(pk=segment.pk)
    if name is not None:
        segment.name = _clean_name(segment.company, name, instance=segment)
    if filters is not None:
        segment.filters = segment_filters_clean(company=segment.company, filters=filters)
    return _unique_save(segment)


@transaction.atomic
def segment_delete(*, segment, by) -> None:
    segment_access(by, segment)
    Segment.objects.filter(pk=segment.pk).delete()


def segment_live_count(user, *, company, filters) -> int | None:
    """How many of `company`'s customers that `user` sees match `filters` (the live
    count beside the segment form); None while the filters are not valid (saving the
    form says why, by field)."""
    access_customer_write(user, company.pk)
    try:
        clean = segment_filters_clean(company=company, filters=filters)
    except ValidationError:
        return None
    return customers_matching(user, clean).filter(company=company).count()


def segment_customers(user, segment):
    """The segment's customers as `user` may see them, never beyond its company."""
    return customers_matching(user, segment.filters).filter(company_id=segment.company_id)


def segment_counts(user, segments) -> dict:
    """{segment id: live count} for a page of segments in one query however many there
    are (the list page ran one count per row): each count is a scalar subquery of the
    same filtered queryset `segment_customers` gives, and the projects and tags the
    filters name are read once for all of them instead of once per segment."""
    segments = list(segments)
    if not segments:
        return {}
    project_ids = {s.filters["project"] for s in segments if s.filters.get("project")}
    tag_ids = {t for s in segments for t in s.filters.get("tags") or ()}
    projects = Project.objects.for_user(user).in_bulk(project_ids) if project_ids else {}
    tags = Tag.objects.for_user(user).in_bulk(tag_ids) if tag_ids else {}
    base = Customer.objects.for_user(user).active()
    request = SimpleNamespace(user=user)
    counts, zero = {}, set()
    for segment in segments:
        cleaned = _cleaned_filters(segment.filters, projects, tags)
        if cleaned is None:  # names a project or tag the user can no longer see
            zero.add(segment.pk)
            continue
        filterset = CustomerFilter(queryset=base, request=request)
        filterset.form.cleaned_data = cleaned
        matching = filterset.filter_queryset(base).filter(company_id=segment.company_id)
        counts[f"n{segment.pk}"] = Coalesce(
            Subquery(
                matching.order_by()
                .values("company_id")
                .annotate(n=Count("pk", distinct=True))
                .values("n")[:1]
            ),
            0,
        )
    found = {}
    if counts:
        row = Segment.objects.filter(pk=segments[0].pk).annotate(**counts).values(*counts)
        found = {int(key[1:]): value for key, value in row.first().items()}
    return {s.pk: 0 if s.pk in zero else found.get(s.pk, 0) for s in segments}


def _cleaned_filters(filters, projects, tags) -> dict | None:
    """The stored (already cleaned) filter values as CustomerFilter's form would clean
    them, with the project and tags from the preloaded ones; None if one is missing."""
    cleaned = {key: filters[key] for key in ("q", "step", "kind", "source") if key in filters}
    if "marketing_consent" in filters:
        cleaned["marketing_consent"] = filters["marketing_consent"]
    if filters.get("project"):
        if filters["project"] not in projects:
            return None
        cleaned["project"] = projects[filters["project"]]
    if filters.get("tags"):
        if any(pk not in tags for pk in filters["tags"]):
            return None
        cleaned["tags"] = [tags[pk] for pk in filters["tags"]]
    return cleaned


def segments_for(user):
    """Segments of the companies where the user works with customer data."""
    return Segment.objects.filter(company__in=crm_companies(user)).select_related(
        "company", "created_by"
    )
