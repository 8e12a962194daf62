"""The customers app's own merge movers and timeline providers (registered in apps.py)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from notifications.records import messages_about, messages_move

from .models import IdReveal, Ownership, RevisitTask, Visit, WorkPointCheck
from .timeline import TimelineEvent


def move_own_records(source, target, dry_run):
    counts = {
        _("Units (ownerships)"): Ownership.objects.filter(customer=source).count(),
        _("Visits"): Visit.objects.filter(customer=source).count(),
        _("Four-year revisits"): RevisitTask.objects.filter(customer=source).count(),
        _("Ticked work points"): WorkPointCheck.objects.filter(customer=source)
        .exclude(work_point__in=WorkPointCheck.objects.filter(customer=target).values("work_point"))
        .count(),
        _("Tags"): source.tags.exclude(pk__in=target.tags.all()).count(),
    }
    if dry_run:
        return counts
    _move_ownerships(source, target)
    Visit.objects.filter(customer=source).update(customer=target)
    RevisitTask.objects.filter(customer=source).update(customer=target)
    IdReveal.objects.filter(customer=source).update(customer=target)
    duplicate_points = WorkPointCheck.objects.filter(customer=target).values("work_point")
    WorkPointCheck.objects.filter(customer=source).exclude(work_point__in=duplicate_points).update(
        customer=target
    )
    target.tags.add(*source.tags.all())
    messages_move(source=source, target=target)
    if source.user_id and not target.user_id:
        user = source.user
        source.user = None
        source.save(update_fields=["user"])
        target.user = user
        target.save(update_fields=["user"])
    return counts


def _move_ownerships(source, target):
    """Row by row, so the history records each move. Where the survivor already holds
    the same unit, the duplicate's row is closed instead (one person, one holding),
    and the survivor keeps the stronger role."""
    from django.utils import timezone

    held = {
        o.unit_id: o
        for o in Ownership.objects.select_for_update().filter(
            customer=target, status__in=Ownership.ACTIVE
        )
    }
    for ownership in Ownership.objects.select_for_update().filter(customer=source):
        twin = held.get(ownership.unit_id)
        if twin is not None and ownership.status in Ownership.ACTIVE:
            stronger = ownership.role == Ownership.Role.OWNER
            ownership.status = Ownership.Status.CANCELLED
            ownership.ended_on = timezone.localdate()
            ownership.cancel_reason = _(
                "Closed when merging duplicates: the survivor holds this unit."
            )
            ownership.customer = target
            ownership.save()
            if stronger and twin.role != Ownership.Role.OWNER:
                twin.role = Ownership.Role.OWNER
                twin.save()
            continue
        ownership.customer = target
        ownership.save()


def own_timeline(customer):
    events = []
    # .all() on the relations: the 360 page prefetched them, so no extra query there.
    for visit in customer.visits.all():
        title = (
            _("Four-year revisit")
            if visit.kind == Visit.Kind.REVISIT
            else _("First visit at %(project)s")
            if visit.is_first
            else _("Visit at %(project)s")
        ) % {"project": visit.project.name}
        events.append(TimelineEvent(visit.visited_at, "visit", title, visit.needs or visit.note))
    for o in customer.ownerships.all():
        unit = f"{o.unit.building.project.name} {o.unit.code}"
        events.append(_day_event(o.subscribed_on, _("Subscribed %(unit)s") % {"unit": unit}))
        if o.contracted_on:
            events.append(
                _day_event(o.contracted_on, _("Signed the contract for %(unit)s") % {"unit": unit})
            )
        if o.handover_on:
            events.append(
                _day_event(o.handover_on, _("Received the keys of %(unit)s") % {"unit": unit})
            )
        if o.ended_on:
            events.append(
                _day_event(
                    o.ended_on,
                    _("%(status)s: %(unit)s") % {"status": o.get_status_display(), "unit": unit},
                )
            )
    return events


def messages_timeline(customer):
    """Messages written about this customer record only: the same mobile in another
    company is another company's business."""
    rows = messages_about(customer)
    # A message without a subject is named by its template, whose key is for machines.
    names = {"risk_disclosure": _("Risk disclosure")}
    return [
        TimelineEvent(
            m.created_at,
            "message",
            _("%(channel)s sent: %(subject)s")
            % {
                "channel": m.get_channel_display(),
                "subject": m.subject or names.get(m.template, m.template),
            },
            m.body[:200],
        )
        for m in rows
    ]


def _day_event(day, title):
    import datetime

    from django.utils import timezone

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    return TimelineEvent(at, "ownership", title)


def marketing_consent(recipient, address):
    """Consent as the customer records say: None when no customer matches."""
    from .models import Customer

    query = Q()
    if address:
        query |= Q(mobile=address)
    if recipient is not None:
        query |= Q(user=recipient)
        if getattr(recipient, "mobile", None):
            query |= Q(mobile=recipient.mobile)
    if not query:
        return None
    answers = set(
        Customer.objects.active().filter(query).values_list("marketing_consent", flat=True)
    )
    if not answers:
        return None
    return answers == {True}
