from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from org.scoping import RoleRequired, access_company

from ..models import Customer, IdReveal
from ..validators import id_number_error
from .access import access_customer_write

EDITABLE = {
    "name",
    "mobile",
    "id_number",
    "gender",
    "birthday",
    "family_structure",
    "occupation",
    "budget",
    "needs",
    "source",
    "kind",
    "marketing_consent",
    "consent_channel",
}


def _clean(company, fields: dict, instance=None) -> dict:
    """Normalise and check the fields a person typed; raises ValidationError by field."""
    errors = {}
    unknown = set(fields) - EDITABLE - {"tags"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            errors["name"] = _("Please enter the customer's name.")
    if "mobile" in fields:
        mobile = normalize_mobile(fields["mobile"])
        if mobile is None:
            errors["mobile"] = _("Please enter a valid mainland mobile number (11 digits).")
        else:
            fields["mobile"] = mobile
            clash = Customer.objects.active().filter(company=company, mobile=mobile)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["mobile"] = _("Another customer of this company has this mobile number.")
    if fields.get("id_number"):
        fields["id_number"] = fields["id_number"].strip().upper()
        error = id_number_error(fields["id_number"])
        if error:
            errors["id_number"] = error
    if errors:
        raise ValidationError(errors)
    return fields


def _save(customer) -> None:
    """Save; a concurrent insert of the same mobile (unique per company) is reported
    like the checked case instead of failing with a 500."""
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        raise ValidationError(
            {"mobile": _("Another customer of this company has this mobile number.")}
        ) from None


def _check_tags(company, tags) -> None:
    if any(tag.company_id != company.pk for tag in tags):
        raise ValidationError({"tags": _("Tags must belong to the customer's company.")})


@transaction.atomic
def customer_create(*, company, by, tags=(), **fields) -> Customer:
    """Create a customer of `company`. Mobile is normalised and unique per company;
    an ID number must pass the GB 11643 checksum."""
    access_customer_write(by, company.pk)
    fields = _clean(company, fields)
    _check_tags(company, tags)
    customer = Customer(company=company, created_by=by, **fields)
    if customer.marketing_consent:
        customer.consent_at = timezone.now()
    _save(customer)
    if tags:
        customer.tags.set(tags)
    return customer


@transaction.atomic
def customer_update(*, customer, by, tags=None, **fields) -> Customer:
    access_customer_write(by, customer.company_id)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    fields = _clean(customer.company, fields, instance=customer)
    if tags is not None:
        _check_tags(customer.company, tags)
    consent_before = customer.marketing_consent
    for name, value in fields.items():
        setattr(customer, name, value)
    if customer.marketing_consent and not consent_before:
        customer.consent_at = timezone.now()
    if not customer.marketing_consent:
        customer.consent_at = None
    _save(customer)
    if tags is not None:
        customer.tags.set(tags)
    return customer


def id_number_reveal(*, customer, by) -> str:
    """Group staff may see a full ID number; every reveal is recorded."""
    access_company(by, customer.company_id)
    if not by.scope.sees_all:
        raise RoleRequired(_("Only group customer-relations staff may reveal an ID number."))
    IdReveal.objects.create(customer=customer, by=by)
    return customer.id_number
