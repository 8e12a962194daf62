"""Notices customers sends its own staff when a record waits for them (subscribed to
customers' events in apps.py; notifications delivers them, it never imports customers)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import message_send

from ..models import Ownership
from .access import APPROVERS


def on_cancel_requested(event) -> None:
    """A cancellation after the window waits for a manager: each active manager of the
    company (not the one who asked) gets an inbox notice linking to the ownership."""
    ownership = (
        Ownership.objects.select_related("customer__company", "unit")
        .filter(pk=event.payload.get("ownership_id"), status=Ownership.Status.CANCEL_PENDING)
        .first()
    )
    if ownership is None:  # decided (or gone) before the notice went out
        return
    customer = ownership.customer
    managers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=APPROVERS,
            memberships__company_id=customer.company_id,
        )
        .exclude(pk=ownership.cancel_requested_by_id)
        .distinct()
    )
    link = reverse("customers:ownership", kwargs={"pk": ownership.pk})
    for manager in managers:
        message_send(
            channel=Channel.INBOX,
            template="cancellation_awaiting_approval",
            recipient=manager,
            subject=_("Cancellation awaiting your approval"),
            body=_(
                "%(customer)s asks to cancel the purchase of %(unit)s. Approve or refuse "
                "it on the ownership page."
            )
            % {"customer": customer.name, "unit": ownership.unit.code},
            link=link,
            company=customer.company,
            ref=record_ref(customer),
        )
