from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from org.scoping import RoleRequired, access_company
from vanke_crm.validation import check_fields

from ..models import CONSENT_FIELDS, PROFILE_FIELDS, Customer, IdReveal
from ..validators import id_number_error
from .access import access_customer_write, can_reveal_id_numbers

EDITABLE = {*PROFILE_FIELDS, *CONSENT_FIELDS, "kind"}


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
    """Save; a value that does not fit its column, or a concurrent insert of the same
    mobile (unique per company), is reported by field instead of failing with a 500."""
    check_fields(customer)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        raise ValidationError(
            {"mobile": _("Another customer of this company has this mobile number.")}
        ) from None


def _check_id_number_change(customer, fields, by) -> None:
    """Only staff who may reveal ID numbers replace a stored one. Others are refused
    whatever they typed, before it is compared: saving an equal number would change
    nothing in the history and a different one would, which would tell them which of
    their guesses is the stored number. Filling in a missing number is open to all."""
    typed = (fields.get("id_number") or "").strip()
    if typed and customer.id_number and not can_reveal_id_numbers(by):
        raise ValidationError(
            {
                "id_number": _(
                    "An ID number is already on file. Only group customer-relations staff "
                    "may replace it; ask them if it is wrong."
                )
            }
        )


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
    _check_id_number_change(customer, fields, by)
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
    if not can_reveal_id_numbers(by):
        raise RoleRequired(_("Only group customer-relations staff may reveal an ID number."))
    IdReveal.objects.create(customer=customer, by=by)
    return customer.id_number
