"""来访登记: visit registration at a sales office (DOMAIN §2, 6+2 step 1)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phone import normalize_mobile
from events import bus
from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import message_send
from vanke_crm.validation import check_fields

from .. import events
from ..models import Customer, Visit, WorkPoint, WorkPointCheck
from .access import access_customer_write

FIRST_VISIT_POINTS = ("first-visit-recorded", "handed-to-club", "risk-disclosure-outside")


@dataclass
class VisitResult:
    customer: Customer
    visit: Visit
    is_new_customer: bool


def visit_register(
    *,
    project,
    by,
    name,
    mobile,
    source=Customer.Source.WALK_IN,
    needs="",
    companions=0,
    companions_note="",
    visited_at=None,
) -> VisitResult:
    """A first visit creates a prospect, publishes VISIT_REGISTERED (the club queues
    first-time visitors for its follow-up) and sends the project's risk disclosure;
    a later visit of the same mobile (same company) adds to the same customer."""
    company = project.company
    access_customer_write(by, company.pk)
    normalized = normalize_mobile(mobile)
    if normalized is None:
        raise ValidationError(
            {"mobile": _("Please enter a valid mainland mobile number (11 digits).")}
        )
    if not (name or "").strip():
        raise ValidationError({"name": _("Please enter the visitor's name.")})
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _register(
                    project,
                    by,
                    name.strip(),
                    normalized,
                    source,
                    needs,
                    companions,
                    companions_note,
                    visited_at or timezone.now(),
                )
        except IntegrityError:
            if attempt:  # a concurrent registration created the customer; now we find it
                raise
    raise AssertionError("unreachable")


def _register(project, by, name, mobile, source, needs, companions, companions_note, at):
    customer = (
        Customer.objects.active()
        .select_for_update()
        .filter(company=project.company, mobile=mobile)
        .first()
    )
    is_new = customer is None
    if is_new:
        customer = Customer(
            company=project.company,
            name=name,
            mobile=mobile,
            source=source,
            needs=needs,
            created_by=by,
        )
        check_fields(customer)
        customer.save()
    visit = Visit(
        customer=customer,
        project=project,
        visited_at=at,
        source=source,
        needs=needs,
        companions=companions or 0,
        companions_note=companions_note,
        is_first=is_new,
        registered_by=by,
    )
    check_fields(visit)
    visit.save()
    bus.publish(
        events.VISIT_REGISTERED,
        by=by,
        customer_id=customer.pk,
        visit_id=visit.pk,
        project_id=project.pk,
        company_id=project.company_id,
        is_first=is_new,
    )
    if is_new:
        _send_risk_disclosure(customer, project)
        _tick(customer, by, FIRST_VISIT_POINTS)
    return VisitResult(customer=customer, visit=visit, is_new_customer=is_new)


def _send_risk_disclosure(customer, project):
    path = settings.PUBLIC_BASE_URL + reverse(
        "customers:public_risk", kwargs={"project_code": project.code}
    )
    message_send(
        channel=Channel.SMS,
        template="risk_disclosure",
        address=customer.mobile,
        body=_(
            "【万科】%(name)s, thank you for visiting %(project)s. Before you decide, please "
            "read what lies around the project (risk disclosure): %(path)s"
        )
        % {"name": customer.name, "project": project.name, "path": path},
        link=path,
        company=project.company,
        ref=record_ref(customer),  # puts the message on the customer's timeline
    )


def _tick(customer, by, codes):
    now = timezone.now()
    for point in WorkPoint.objects.filter(company__isnull=True, code__in=codes, is_active=True):
        WorkPointCheck.objects.get_or_create(
            customer=customer, work_point=point, defaults={"done_by": by, "done_at": now}
        )
