"""Escalation of cases, one or a sweeper's batch at a time: to the company's CRM
managers, then to the group centre. Each level happens once per case: the UPDATE sets
its time only where it is still empty and returns the cases it changed, so a second
sweep, a second worker or an owner pressing "escalate" again finds nothing to do.
Whoever is told gets an inbox message (one INSERT per batch), each changed case an
`escalated_company`/`escalated_group` event in its history (one INSERT per batch,
naming the person who escalated or the system) and a `complaints.case_escalated`
domain event."""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from events import bus
from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import messages_send
from org.models import Membership, Role
from vanke_crm import listcache
from vanke_crm.transitions import record_events

from .. import events
from ..caching import touch_case
from ..models import Case

LEVELS = {
    Case.Escalation.COMPANY: "escalated_company_at",
    Case.Escalation.GROUP: "escalated_group_at",
}
# The case history's event of each level (labelled in the case workflow's `events`).
EVENTS = {
    Case.Escalation.COMPANY: "escalated_company",
    Case.Escalation.GROUP: "escalated_group",
}


def _mark(ids: list[int], level: int, reason: str, now) -> set[int]:
    """Set the level's time on those of `ids` that do not have it yet; their ids."""
    column = LEVELS[level]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET {column} = %s,"  # noqa: S608 (fixed names)
            " escalation = GREATEST(escalation, %s),"
            # the reason shown is the highest level's: a company escalation after the
            # group's (an owner's, then the sweeper's) keeps the group's reason
            " escalation_reason = CASE WHEN %s >= escalation THEN %s ELSE escalation_reason END"
            f" WHERE id = ANY(%s) AND {column} IS NULL RETURNING id",
            [now, level, level, str(reason)[:200], ids],
        )
        return {row[0] for row in cursor.fetchall()}


class Recipients:
    """Who is told of an escalation, read once per company (and once for the group)
    however many cases a batch escalates."""

    def __init__(self):
        self._managers: dict = {}
        self._group = None

    def managers(self, company_id) -> list:
        if company_id not in self._managers:
            self._managers[company_id] = [
                m.user
                for m in Membership.objects.select_related("user").filter(
                    company_id=company_id, role=Role.MANAGER, is_active=True
                )
            ]
        return self._managers[company_id]

    def group_staff(self) -> list:
        if self._group is None:
            self._group = [
                m.user
                for m in Membership.objects.select_related("user").filter(
                    company__isnull=True, role=Role.GROUP_CRM, is_active=True
                )
            ]
        return self._group


def escalate(cases, *, level: int, reason, by=None, recipients: Recipients | None = None):
    """Escalate `cases` (with their company loaded) to `level`; returns the ids of
    those escalated now (the others were escalated to that level before)."""
    cases = list(cases)
    if not cases:
        return set()
    now = timezone.now()
    changed = _mark([case.pk for case in cases], level, reason, now)
    if not changed:
        return changed
    # The UPDATE sends no signal: the queue's cached pages of these companies go.
    listcache.touch(*{case.company_id for case in cases if case.pk in changed})
    touch_case(*changed)  # and these cases' own pages
    recipients = recipients or Recipients()
    rows, payloads, escalated = [], [], []
    for case in cases:
        if case.pk not in changed:
            continue
        if level == Case.Escalation.COMPANY:
            people = recipients.managers(case.company_id)
            template = "complaints.escalated_company"
            body = _("Case %(number)s is escalated to you: %(reason)s") % {
                "number": case.number,
                "reason": reason,
            }
        else:
            people = recipients.group_staff()
            template = "complaints.escalated_group"
            body = _("Case %(number)s of %(company)s is escalated to the group: %(reason)s") % {
                "number": case.number,
                "company": case.company.name,
                "reason": reason,
            }
        ref = record_ref(case)
        rows += [
            {
                "channel": Channel.INBOX,
                "template": template,
                "body": body,
                "recipient": person,
                "company": case.company,
                "ref": ref,
                "link": f"/complaints/cases/{case.pk}/",
            }
            for person in people
        ]
        payloads.append({"case": case.pk, "level": int(level)})
        escalated.append(case)
        # the caller's object shows what was done
        setattr(case, LEVELS[level], now)
        if level >= case.escalation:
            case.escalation_reason = str(reason)[:200]
        case.escalation = max(case.escalation, level)
    messages_send(rows)
    record_events(escalated, EVENTS[level], by=by, reason=reason)
    bus.publish_many(events.CASE_ESCALATED, payloads, by=by)
    return changed
