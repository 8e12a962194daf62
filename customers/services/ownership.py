"""Ownership: subscription → contract → handover, and cancellation with the
no-questions window (DOMAIN §7 step 2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from events import bus
from org import company_settings
from org.models import Unit
from org.scoping import access_company
from vanke_crm.errors import IllegalTransition, InvalidInput
from vanke_crm.transitions import Transition, Workflow, register, transition

from .. import events
from ..models import Customer, Ownership
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
    _publish(ownership, events.OWNERSHIP_SUBSCRIBED, by)
    _refresh_kind(customer)
    return ownership


def cancellation_window_end(ownership) -> datetime.date:
    """Last day on which a subscription may be cancelled with no reason and no approval."""
    days = company_settings.effective(
        ownership.customer.company_id, "cancellation_window_days"
    ).value
    return ownership.subscribed_on + datetime.timedelta(days=days)


def _in_window(ownership) -> bool:
    return ownership.status == S.SUBSCRIBED and timezone.localdate() <= cancellation_window_end(
        ownership
    )


def _may_write(user, ownership) -> None:
    access_customer_write(user, ownership.customer.company_id)


def _may_decide(user, ownership) -> None:
    access_cancellation_decide(user, ownership.customer.company_id)
    if ownership.cancel_requested_by_id == user.pk:
        raise IllegalTransition(_("You cannot decide on a cancellation you requested."))


def _contract(ownership, data, by) -> None:
    _check_dates(ownership.subscribed_on, data["contracted_on"])
    ownership.contracted_on = data["contracted_on"]


def _hand_over(ownership, data, by) -> None:
    _check_dates(ownership.subscribed_on, ownership.contracted_on, data["handover_on"])
    ownership.handover_on = data["handover_on"]
    ownership.warranty_start_on = ownership.warranty_start_on or data["handover_on"]


def _cancel_guard(ownership, data, by) -> None:
    if not _in_window(ownership) and not data["reason"]:
        raise ValidationError({"reason": _("After the cancellation window a reason is required.")})


def _cancel(ownership, data, by) -> None:
    ownership.cancel_requested_at = timezone.now()
    ownership.cancel_requested_by = by
    ownership.cancel_reason = data["reason"]
    if _in_window(ownership):
        ownership.ended_on = timezone.localdate()


def _decided(approved: bool):
    def apply(ownership, data, by) -> None:
        ownership.cancel_decided_by = by
        if approved:
            ownership.ended_on = timezone.localdate()

    return apply


# The event each transition publishes (a cancellation inside the window is final at
# once; after it, it is a request until a manager decides).
_EVENTS = {
    ("contract", S.CONTRACTED): events.OWNERSHIP_CONTRACTED,
    ("hand_over", S.HANDED_OVER): events.OWNERSHIP_HANDED_OVER,
    ("cancel", S.CANCELLED): events.OWNERSHIP_CANCELLED,
    ("cancel", S.CANCEL_PENDING): events.OWNERSHIP_CANCEL_REQUESTED,
    ("approve_cancellation", S.CANCELLED): events.OWNERSHIP_CANCELLED,
}


def _publish(ownership, name, by, from_state="") -> None:
    bus.publish(
        name,
        by=by,
        ownership_id=ownership.pk,
        customer_id=ownership.customer_id,
        unit_id=ownership.unit_id,
        company_id=ownership.customer.company_id,
        from_state=from_state,
        to_state=ownership.status,
    )


def _published(ownership, event, by) -> None:
    name = _EVENTS.get((event.action, event.to_state))
    if name:
        _publish(ownership, name, by, event.from_state)


def _refresh_step(ownership, event, by) -> None:
    customer_refresh_step(customer=ownership.customer)
    _published(ownership, event, by)


def _refresh_after(ownership, event, by) -> None:
    _refresh_kind(ownership.customer)
    _published(ownership, event, by)


OWNERSHIP = register(
    Workflow(
        Ownership,
        [
            Transition(
                "contract",
                (S.SUBSCRIBED,),
                S.CONTRACTED,
                pgettext_lazy("action", "Sign the contract"),
                _may_write,
                requires=("contracted_on",),
                apply=_contract,
                after=_refresh_step,
                refusal=_lazy("Only a subscription can be turned into a contract."),
            ),
            Transition(
                "hand_over",
                (S.CONTRACTED,),
                S.HANDED_OVER,
                pgettext_lazy("action", "Hand over the keys"),
                _may_write,
                requires=("handover_on",),
                apply=_hand_over,
                after=_refresh_step,
                refusal=_lazy("Only a contracted unit can be handed over."),
            ),
            Transition(
                "cancel",
                (S.SUBSCRIBED, S.CONTRACTED),
                lambda o, data: S.CANCELLED if _in_window(o) else S.CANCEL_PENDING,
                pgettext_lazy("action", "Cancel the purchase"),
                _may_write,
                guard=_cancel_guard,
                apply=_cancel,
                after=_refresh_after,
                refusal=_lazy("This ownership cannot be cancelled in its current state."),
                done=lambda o: (
                    _("Cancelled inside the no-questions window.")
                    if o.status == S.CANCELLED
                    else _("Cancellation requested; it waits for a manager's approval.")
                ),
                style="danger",
            ),
            Transition(
                "approve_cancellation",
                (S.CANCEL_PENDING,),
                S.CANCELLED,
                pgettext_lazy("action", "Approve the cancellation"),
                _may_decide,
                apply=_decided(True),
                after=_refresh_after,
                refusal=_lazy("There is no cancellation waiting for a decision."),
                done=_lazy("Decision recorded."),
            ),
            Transition(
                "refuse_cancellation",
                (S.CANCEL_PENDING,),
                lambda o, data: S.CONTRACTED if o.contracted_on else S.SUBSCRIBED,
                pgettext_lazy("action", "Refuse the cancellation"),
                _may_decide,
                apply=_decided(False),
                after=_refresh_after,
                refusal=_lazy("There is no cancellation waiting for a decision."),
                done=_lazy("Decision recorded."),
            ),
        ],
    )
)


def ownership_contract(*, ownership, contracted_on, by) -> Ownership:
    return transition(ownership, "contract", by=by, contracted_on=contracted_on)


def ownership_hand_over(*, ownership, handover_on, by) -> Ownership:
    return transition(ownership, "hand_over", by=by, handover_on=handover_on)


def ownership_cancel(*, ownership, by, reason="") -> Ownership:
    """Inside the window after subscription (3 days unless the company set another
    length) a subscription is cancelled at once, no reason asked. After it, or once
    a contract is signed, the cancellation needs a reason and waits for approval."""
    return transition(ownership, "cancel", by=by, reason=reason)


def ownership_cancel_decide(*, ownership, by, approve: bool) -> Ownership:
    """A manager approves or refuses a pending cancellation (not their own request)."""
    action = "approve_cancellation" if approve else "refuse_cancellation"
    return transition(ownership, action, by=by)


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
