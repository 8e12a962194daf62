"""Ownership: subscription → contract → handover, and cancellation with the
no-questions window (DOMAIN §7 step 2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Unit
from org.scoping import access_company
from vanke_crm.errors import IllegalTransition, InvalidInput

from ..models import Customer, Ownership
from ..policy import effective
from .access import access_cancellation_decide, access_customer_write
from .lifecycle import customer_refresh_step

S = Ownership.Status


def _check_dates(subscribed_on, contracted_on=None, handover_on=None):
    if contracted_on and contracted_on < subscribed_on:
        raise ValidationError(
            {"contracted_on": _("The contract date cannot be before the subscription date.")}
        )
    if handover_on and (not contracted_on or handover_on < contracted_on):
        raise ValidationError(
            {"handover_on": _("The handover date must be on or after the contract date.")}
        )


def _locked(ownership) -> Ownership:
    return Ownership.objects.select_for_update().select_related("customer").get(pk=ownership.pk)


@transaction.atomic
def ownership_create(
    *,
    customer,
    unit,
    by,
    subscribed_on,
    role=Ownership.Role.OWNER,
    contracted_on=None,
    price=None,
    delivery_due_on=None,
    handover_on=None,
) -> Ownership:
    """Link a customer to a unit. The unit must belong to the customer's company, and
    a unit has one active owner (co-owners may be added beside them)."""
    access_customer_write(by, customer.company_id)
    access_company(by, unit.building.project.company_id)
    if unit.building.project.company_id != customer.company_id:
        raise InvalidInput(_("The unit belongs to another company than the customer."))
    _check_dates(subscribed_on, contracted_on, handover_on)
    # Lock the unit: two staff selling the same free unit at once queue up here.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    active = Ownership.objects.filter(unit=unit, status__in=Ownership.ACTIVE)
    if role == Ownership.Role.OWNER and active.filter(role=Ownership.Role.OWNER).exists():
        raise InvalidInput(_("This unit already has an active owner."))
    if active.filter(customer=customer).exists():
        raise InvalidInput(_("This customer already holds this unit."))
    status = S.HANDED_OVER if handover_on else S.CONTRACTED if contracted_on else S.SUBSCRIBED
    ownership = Ownership.objects.create(
        customer=customer,
        unit=unit,
        role=role,
        status=status,
        subscribed_on=subscribed_on,
        contracted_on=contracted_on,
        price=price,
        delivery_due_on=delivery_due_on,
        handover_on=handover_on,
        warranty_start_on=handover_on,
    )
    _refresh_kind(customer)
    return ownership


@transaction.atomic
def ownership_contract(*, ownership, contracted_on, by) -> Ownership:
    ownership = _locked(ownership)
    access_customer_write(by, ownership.customer.company_id)
    if ownership.status != S.SUBSCRIBED:
        raise IllegalTransition(_("Only a subscription can be turned into a contract."))
    _check_dates(ownership.subscribed_on, contracted_on)
    ownership.contracted_on = contracted_on
    ownership.status = S.CONTRACTED
    ownership.save()
    customer_refresh_step(customer=ownership.customer)
    return ownership


@transaction.atomic
def ownership_hand_over(*, ownership, handover_on, by) -> Ownership:
    ownership = _locked(ownership)
    access_customer_write(by, ownership.customer.company_id)
    if ownership.status != S.CONTRACTED:
        raise IllegalTransition(_("Only a contracted unit can be handed over."))
    _check_dates(ownership.subscribed_on, ownership.contracted_on, handover_on)
    ownership.handover_on = handover_on
    ownership.warranty_start_on = ownership.warranty_start_on or handover_on
    ownership.status = S.HANDED_OVER
    ownership.save()
    customer_refresh_step(customer=ownership.customer)
    return ownership


def cancellation_window_end(ownership) -> datetime.date:
    """Last day on which a subscription may be cancelled with no reason and no approval."""
    days = effective(ownership.customer.company, "cancellation_window_days").value
    return ownership.subscribed_on + datetime.timedelta(days=days)


@transaction.atomic
def ownership_cancel(*, ownership, by, reason="") -> Ownership:
    """Inside the window after subscription (3 days unless the company set another
    length) a subscription is cancelled at once, no reason asked. After it, or once
    a contract is signed, the cancellation needs a reason and waits for approval."""
    ownership = _locked(ownership)
    access_customer_write(by, ownership.customer.company_id)
    if ownership.status not in (S.SUBSCRIBED, S.CONTRACTED):
        raise IllegalTransition(_("This ownership cannot be cancelled in its current state."))
    today = timezone.localdate()
    ownership.cancel_requested_at = timezone.now()
    ownership.cancel_requested_by = by
    ownership.cancel_reason = (reason or "").strip()
    if ownership.status == S.SUBSCRIBED and today <= cancellation_window_end(ownership):
        ownership.status = S.CANCELLED
        ownership.ended_on = today
    else:
        if not ownership.cancel_reason:
            raise ValidationError(
                {"reason": _("After the cancellation window a reason is required.")}
            )
        ownership.status = S.CANCEL_PENDING
    ownership.save()
    _refresh_kind(ownership.customer)
    return ownership


@transaction.atomic
def ownership_cancel_decide(*, ownership, by, approve: bool) -> Ownership:
    """A manager approves or refuses a pending cancellation (not their own request)."""
    ownership = _locked(ownership)
    access_cancellation_decide(by, ownership.customer.company_id)
    if ownership.status != S.CANCEL_PENDING:
        raise IllegalTransition(_("There is no cancellation waiting for a decision."))
    if ownership.cancel_requested_by_id == by.pk:
        raise IllegalTransition(_("You cannot decide on a cancellation you requested."))
    ownership.cancel_decided_by = by
    if approve:
        ownership.status = S.CANCELLED
        ownership.ended_on = timezone.localdate()
    else:
        ownership.status = S.CONTRACTED if ownership.contracted_on else S.SUBSCRIBED
    ownership.save()
    _refresh_kind(ownership.customer)
    return ownership


def _refresh_kind(customer: Customer) -> None:
    """Kind follows ownership: active owner/co-owner; former owner once a unit was
    transferred away; a cancelled subscription leaves a prospect."""
    rows = list(customer.ownerships.values_list("status", "role"))
    active_roles = {role for status, role in rows if status in Ownership.ACTIVE}
    if Ownership.Role.OWNER in active_roles:
        kind = Customer.Kind.OWNER
    elif active_roles:
        kind = Customer.Kind.CO_OWNER
    elif any(status == S.TRANSFERRED for status, _role in rows):
        kind = Customer.Kind.FORMER_OWNER
    else:
        kind = Customer.Kind.PROSPECT
    if customer.kind != kind:
        customer.kind = kind
        customer.save(update_fields=["kind", "updated_at"])
    customer_refresh_step(customer=customer)
