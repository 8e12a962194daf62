"""The 6+2 steps: derived from the customer's data, work points ticked per customer,
and the four-year revisit (四年之约)."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events import bus
from org import company_settings
from org.models import Company
from vanke_crm import listcache
from vanke_crm.errors import IllegalTransition, InvalidInput

from .. import events
from ..models import (
    Customer,
    LifecycleStep,
    Ownership,
    RevisitTask,
    Visit,
    WorkPoint,
    WorkPointCheck,
)
from .access import access_customer_write

REVISIT_YEARS = 4


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


LENGTHS = ("warranty_years", "move_in_lead_days")


def lengths_of(company_ids) -> dict:
    """{company id: {length: value}} of the lengths that decide steps, for a sweep:
    read for all companies at once, not per customer."""
    found = {key: company_settings.effective_many(company_ids, key) for key in LENGTHS}
    return {cid: {key: found[key][cid].value for key in LENGTHS} for cid in company_ids}


def step_for(customer, ownerships, today=None, lengths=None) -> str:
    """The step of the most advanced active ownership; a prospect is at step 1.
    `lengths` (from `lengths_of`) saves a sweep reading the settings per customer."""
    today = today or timezone.localdate()
    lengths = lengths or lengths_of([customer.company_id])[customer.company_id]
    active = [o for o in ownerships if o.status in Ownership.ACTIVE]
    handed = [o.handover_on for o in active if o.handover_on]
    if handed:
        since = max(handed)
        warranty_years = lengths["warranty_years"]
        if today < _add_years(since, 1):
            return LifecycleStep.FIRST_MONTHS
        if today < _add_years(since, warranty_years):
            return LifecycleStep.AFTER_FIRST_YEAR
        return LifecycleStep.AFTER_WARRANTY
    contracted = [o for o in active if o.contracted_on]
    if contracted:
        lead = lengths["move_in_lead_days"]
        due = [o.delivery_due_on for o in contracted if o.delivery_due_on]
        if due and min(due) - today <= datetime.timedelta(days=lead):
            return LifecycleStep.MOVE_IN
        return LifecycleStep.WAITING
    if active:
        return LifecycleStep.SIGNING
    return LifecycleStep.VIEWING


def customer_refresh_step(*, customer, today=None) -> Customer:
    """Keep the stored step (used by lists, filters and segments) in sync."""
    # A fresh query: the caller's customer may carry a prefetched (stale) list.
    step = step_for(customer, list(Ownership.objects.filter(customer=customer)), today)
    if customer.step != step:
        before, customer.step = customer.step, step
        customer.save(update_fields=["step", "updated_at"])
        _step_changed(customer, before, step)
    return customer


def _step_changed(customer, before, after) -> None:
    bus.publish(
        events.STEP_CHANGED,
        customer_id=customer.pk,
        company_id=customer.company_id,
        from_step=before,
        to_step=after,
    )


def steps_refresh_all(*, today=None, company=None) -> int:
    """Daily sweep: time alone moves customers on — waiting → move-in as delivery
    nears, first months → after the first year → after the warranty. Also run for a
    company when it changes its lengths."""
    changed = 0
    owners = (
        Customer.objects.active()
        .filter(
            Q(ownerships__handover_on__isnull=False)
            | Q(ownerships__delivery_due_on__isnull=False, ownerships__contracted_on__isnull=False)
        )
        .distinct()
    )
    if company is not None:
        owners = owners.filter(company=company)
    company_ids = (
        [company.pk] if company is not None else list(Company.objects.values_list("pk", flat=True))
    )
    lengths = lengths_of(company_ids)
    for customer in owners.prefetch_related("ownerships").iterator(chunk_size=500):
        step = step_for(
            customer, list(customer.ownerships.all()), today, lengths[customer.company_id]
        )
        if step != customer.step:
            with transaction.atomic():
                Customer.objects.filter(pk=customer.pk).update(step=step)
                listcache.touch(customer.company_id)  # the update sends no signal
                _step_changed(customer, customer.step, step)
            changed += 1
    return changed


def workpoints_for(customer, step=None):
    """Active work points of the customer's company for a step: group defaults plus
    the company's own."""
    from django.db.models import Q

    return WorkPoint.objects.filter(
        Q(company__isnull=True) | Q(company=customer.company_id),
        step=step or customer.step,
        is_active=True,
    )


@transaction.atomic
def workpoint_tick(*, customer, work_point, by, note="") -> WorkPointCheck:
    """Tick a work point for a customer; ticking twice keeps the first tick."""
    access_customer_write(by, customer.company_id)
    if work_point.company_id not in (None, customer.company_id) or not work_point.is_active:
        raise InvalidInput(_("This work point does not apply to this customer."))
    check, _created = WorkPointCheck.objects.get_or_create(
        customer=customer,
        work_point=work_point,
        defaults={"done_by": by, "done_at": timezone.now(), "note": note[:200]},
    )
    return check


@transaction.atomic
def workpoint_untick(*, customer, work_point, by) -> None:
    access_customer_write(by, customer.company_id)
    check = WorkPointCheck.objects.filter(customer=customer, work_point=work_point).first()
    if check is None:
        raise IllegalTransition(_("This work point is not ticked."))
    check._history_user = by
    check.delete()


def revisits_sweep(*, today=None) -> int:
    """Create the four-year revisit tasks that are due (handover + 4, 8, … years);
    one task per ownership and cycle, however often the sweep runs."""
    today = today or timezone.localdate()
    created = 0
    handed = Ownership.objects.filter(
        status__in=Ownership.ACTIVE,
        handover_on__isnull=False,
        handover_on__lte=_add_years(today, -REVISIT_YEARS),
    ).only("pk", "customer_id", "handover_on")
    for ownership in handed.iterator(chunk_size=1000):
        cycle = 1
        while (due := _add_years(ownership.handover_on, REVISIT_YEARS * cycle)) <= today:
            try:
                with transaction.atomic():
                    _task, made = RevisitTask.objects.get_or_create(
                        ownership=ownership,
                        cycle=cycle,
                        defaults={"customer_id": ownership.customer_id, "due_on": due},
                    )
            except IntegrityError:  # a concurrent sweep made it first
                made = False
            created += made
            cycle += 1
    return created


@transaction.atomic
def revisit_record(*, task, by, note, visited_at=None) -> Visit:
    """The visit record closes the revisit task."""
    task = (
        RevisitTask.objects.select_for_update()
        .select_related("customer", "ownership__unit__building__project")
        .get(pk=task.pk)
    )
    access_customer_write(by, task.customer.company_id)
    if task.status != RevisitTask.Status.OPEN:
        raise IllegalTransition(_("This revisit is already recorded."))
    if not (note or "").strip():
        from django.core.exceptions import ValidationError

        raise ValidationError({"note": _("Please write down what was discussed.")})
    visit = Visit.objects.create(
        customer=task.customer,
        project=task.ownership.unit.building.project,
        kind=Visit.Kind.REVISIT,
        visited_at=visited_at or timezone.now(),
        note=note.strip(),
        registered_by=by,
    )
    task.status = RevisitTask.Status.DONE
    task.visit = visit
    task.save()
    return visit
