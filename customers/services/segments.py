"""Segments: saved CustomerFilter values of one company (targets for surveys, events
and notices). The stored filters are plain JSON that `customers_matching` reads."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from org.models import Company, Role
from org.scoping import RoleRequired

from ..filters import CustomerFilter, customers_matching
from ..models import Customer, Segment
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


def segment_customers(user, segment):
    """The segment's customers as `user` may see them, never beyond its company."""
    return customers_matching(user, segment.filters).filter(company_id=segment.company_id)


def segments_for(user):
    """Segments of the companies where the user works with customer data."""
    return Segment.objects.filter(company__in=crm_companies(user)).select_related(
        "company", "created_by"
    )
