"""The SLA sweeper (a beat job every few minutes, no long ETAs): finds open cases near
a deadline (the person in charge is warned), past it (the company's CRM managers are
told) and past it by as long again as the case was given (the group centre takes it).

Each step happens exactly once per case, however often the sweeper runs and however
many workers run it at once: rows are claimed with FOR UPDATE SKIP LOCKED, and each
step is a conditional UPDATE (`… WHERE warned_at IS NULL`), so a second run or a
second worker finds nothing left to do. A case waiting on the owner is skipped (its
clock stands still)."""

import datetime

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import messages_send
from org import company_settings, working_time
from org.models import Company

from .. import sla_settings
from ..models import Case, Task
from .escalation import Recipients, escalate

BATCH = 200


def _open():
    # A group complaint's member runs no clock of its own: its lead case carries the SLA.
    return Case.objects.filter(status__in=Case.WORKING, paused_since__isnull=True).filter(
        Q(incident__isnull=True) | Q(incident__lead_case=F("pk"))
    )


def _twice(due: str):
    """The moment a deadline is overdue by as long again as the case was given."""
    return ExpressionWrapper(F(due) + (F(due) - F("created_at")), output_field=DateTimeField())


def unhandled(queryset, field: str):
    """The cases of `queryset` not yet handled for `field`, by deadline: each step
    reads them off its own partial index (case_sweep_warn, _company, _group), which
    holds only the cases that step has not handled."""
    return queryset.filter(**{f"{field}__isnull": True}).order_by("resolve_due_at", "pk")


def _claimed(queryset, field: str, batch: int) -> list:
    """Up to `batch` cases of `queryset` not yet handled for `field`, locked for this
    run; rows another worker holds are left to it."""
    return list(
        unhandled(queryset, field)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("company", "assignee")[:batch]
    )


def _warn(cases, now) -> int:
    """Warn the people in charge of `cases` (locked by this run, none warned yet): the
    case owner and the handlers of its open tasks, one inbox message each."""
    ids = [case.pk for case in cases]
    Case.objects.filter(pk__in=ids, warned_at__isnull=True).update(warned_at=now)
    handlers: dict[int, set] = {}
    for task in Task.objects.filter(
        case__in=ids, status__in=Task.OPEN, assignee__isnull=False
    ).select_related("assignee"):
        handlers.setdefault(task.case_id, set()).add(task.assignee)
    rows = []
    for case in cases:
        people = {case.assignee} if case.assignee_id else set()
        people |= handlers.get(case.pk, set())
        due = case.resolve_due_at
        if case.responded_at is None and case.response_due_at and case.response_due_at < due:
            due = case.response_due_at
        body = _("Case %(number)s is due at %(due)s: %(title)s") % {
            "number": case.number,
            "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            "title": case.title,
        }
        ref = record_ref(case)
        rows += [
            {
                "channel": Channel.INBOX,
                "template": "complaints.near_breach",
                "body": body,
                "recipient": person,
                "company": case.company,
                "ref": ref,
                "link": f"/complaints/cases/{case.pk}/",
            }
            for person in people
        ]
    messages_send(rows)
    return len(cases)


def _step(queryset, field, handle, batch) -> int:
    """Claim up to `batch` cases at a time and hand them to `handle(cases) -> count`,
    each batch in its own transaction, until none is left."""
    done = 0
    while True:
        with transaction.atomic():
            cases = _claimed(queryset, field, batch)
            if not cases:
                return done
            done += handle(cases)
        if len(cases) < batch:
            return done


UNANSWERED = Q(responded_at__isnull=True, response_due_at__isnull=False)


def near(company, horizon):
    """Open cases of `company` due by `horizon` (the warning step)."""
    return (
        _open()
        .filter(company=company)
        .filter(Q(resolve_due_at__lte=horizon) | (UNANSWERED & Q(response_due_at__lte=horizon)))
    )


def breached(now):
    """Open cases past a deadline (the company step)."""
    return _open().filter(Q(resolve_due_at__lt=now) | (UNANSWERED & Q(response_due_at__lt=now)))


def long_overdue(now):
    """Open cases past a deadline by as long again as they were given (the group step)."""
    return (
        _open()
        .annotate(resolve_twice=_twice("resolve_due_at"), response_twice=_twice("response_due_at"))
        .filter(Q(resolve_twice__lt=now) | (UNANSWERED & Q(response_twice__lt=now)))
    )


def sla_sweep(*, now=None, batch=BATCH) -> dict:
    """One run of the sweeper; returns how many cases were warned and escalated."""
    now = now or timezone.now()
    counts = {"warned": 0, "company": 0, "group": 0}
    recipients = Recipients()

    # Near a deadline: within the company's warning time, in working hours.
    for company in Company.objects.all().only("pk"):
        hours = company_settings.effective(company.pk, sla_settings.WARNING_HOURS).value
        horizon = working_time.add_working_hours(company.pk, now, hours)
        counts["warned"] += _step(
            near(company, horizon), "warned_at", lambda cases: _warn(cases, now), batch
        )

    reason = _("The case is past its deadline.")
    counts["company"] = _step(
        breached(now),
        "escalated_company_at",
        lambda cases: len(
            escalate(cases, level=Case.Escalation.COMPANY, reason=reason, recipients=recipients)
        ),
        batch,
    )
    reason_twice = _("The case is past its deadline by as long again as it was given.")
    counts["group"] = _step(
        long_overdue(now),
        "escalated_group_at",
        lambda cases: len(
            escalate(cases, level=Case.Escalation.GROUP, reason=reason_twice, recipients=recipients)
        ),
        batch,
    )
    return counts


def time_left(case, now=None) -> datetime.timedelta | None:
    """Wall-clock time to the case's next deadline (negative when overdue)."""
    now = now or timezone.now()
    due = case.resolve_due_at
    if case.responded_at is None and case.response_due_at:
        due = min(due, case.response_due_at) if due else case.response_due_at
    return due - now if due else None
