"""Return visits (回访) and the owner's signed SMS link (docs/decisions/0026).

A round opens when a case's resolution is confirmed (the "confirm" transition) and is
answered by the case's "visit" transition, whoever answers: staff after a phone call,
the owner through the link or the portal. So the rules of that transition (dissatisfied
reopens, a second reopen escalates to the group) hold for every path.

The link is django.core.signing over the round's id and nonce with a salt of its own;
it expires after the `return_visit_link_days` setting, works once, and a link of an
older round (or a forged one) is refused.

A dissatisfied answer reopens the case to the handler's manager (issue 9): the managers
of the department whose handler finished the last task are told in their inbox, and a
`reopened_to_manager` event on the case names them (`reopen_to_manager`)."""

import hmac
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Channel
from notifications.records import record_ref
from notifications.services import message_send, messages_send
from org import company_settings
from org.models import Department, Membership, Role
from vanke_crm.errors import DomainError
from vanke_crm.transitions import record_events, transition

from .. import visit_settings
from ..models import Case, ReturnVisit
from .access import access_case_write

SALT = "complaints.return-visit-link"
# The case whose return visit the current signed link may answer (nobody is signed in).
_LINK_CASE: ContextVar = ContextVar("complaints_visit_link_case", default=None)


class LinkRefused(DomainError):
    """The signed link cannot be used: `kind` is tampered, expired, superseded or closed."""

    def __init__(self, message, *, kind):
        super().__init__(message)
        self.kind = kind


# --- the visit transition's access and its rows -------------------------------------


def visit_access(user, case) -> None:
    """Who may answer a case's return visit: customer-relations staff of the company,
    the owner of the case in the portal, or whoever holds the round's signed link."""
    if _LINK_CASE.get() == case.pk:
        return
    owner = getattr(user, "is_owner", False) and case.customer_id
    if owner and case.customer.user_id == user.pk:
        return
    access_case_write(user, case.company_id)


@contextmanager
def _link_answers(case_id):
    token = _LINK_CASE.set(case_id)
    try:
        yield
    finally:
        _LINK_CASE.reset(token)


def owner_mobile(case) -> str:
    if case.customer_id and case.customer.mobile:
        return case.customer.mobile
    return case.caller_mobile


def round_open(case, event=None, by=None) -> ReturnVisit:
    """The confirm transition's follow-up (same transaction): a new round due when the
    case's return visit is due, and the SMS with its link to the owner's mobile."""
    last = case.return_visits.aggregate(last=Max("round"))["last"] or 0
    # A round left open by a path that bypassed the visit (should not happen) is closed
    # so the new round is the one every link and page answers.
    case.return_visits.filter(answered_at__isnull=True).update(
        answered_at=timezone.now(), verdict=Case.Verdict.BASICALLY, comment="superseded"
    )
    visit = ReturnVisit.objects.create(
        case=case, round=last + 1, due_at=case.visit_due_at, mobile=owner_mobile(case)
    )
    if visit.mobile:
        _send_link(case, visit)
    return visit


def link_token(visit) -> str:
    return signing.dumps({"v": visit.pk, "n": visit.nonce}, salt=SALT)


def link_url(visit) -> str:
    return settings.PUBLIC_BASE_URL + reverse(
        "complaints:visit_link", kwargs={"token": link_token(visit)}
    )


def _send_link(case, visit) -> None:
    url = link_url(visit)
    message_send(
        channel=Channel.SMS,
        template="complaints.return_visit",
        address=visit.mobile,
        body=_(
            "【万科】Your case %(number)s (%(title)s) is resolved. Were you satisfied? "
            "Tell us here: %(url)s"
        )
        % {"number": case.number, "title": case.title, "url": url},
        link=url,
        company=case.company,
        ref=record_ref(case),
    )
    visit.sms_sent_at = timezone.now()
    visit.save(update_fields=["sms_sent_at", "updated_at"])


def round_answer(case, data, by) -> None:
    """The visit transition's field updates: the open round gets the verdict (a case
    that entered the wait before rounds existed gets one now)."""
    visit = (
        case.return_visits.select_for_update().filter(answered_at__isnull=True).order_by("-round")
    ).first()
    if visit is None:
        last = case.return_visits.aggregate(last=Max("round"))["last"] or 0
        visit = ReturnVisit(case=case, round=last + 1, due_at=case.visit_due_at)
    visit.verdict = data["verdict"]
    visit.comment = data.get("reason", "")
    visit.answered_at = timezone.now()
    visit.answered_by = by if by is not None and _LINK_CASE.get() != case.pk else None
    visit.via = data.get("via") or ReturnVisit.Via.PHONE
    visit.save()


# --- dissatisfied: back to the handler's manager ------------------------------------

REOPENED_TO_MANAGER = "reopened_to_manager"


def _handlers_department(case):
    """The department of the handler who finished the case's last task (a group
    complaint's member: its lead's), or None when no task was finished."""
    lead = case.incident.lead_case if case.incident_id else case
    task = lead.tasks.filter(status="done").select_related("department")
    task = task.order_by("-done_at", "-pk").first()
    if task is None:
        return None
    if task.department_id:
        return task.department
    membership = (
        Membership.objects.filter(
            user_id=task.assignee_id,
            company_id=case.company_id,
            role=Role.HANDLER,
            is_active=True,
            department__isnull=False,
        )
        .select_related("department")
        .first()
    )
    return membership.department if membership else None


def reopen_managers(case) -> tuple[list, object]:
    """The managers a reopened case goes to: those of the handler's department, or the
    company's customer-relations managers (a CRM department's, or without a department)
    when that department has none. Returns (users, the department whose managers they are
    or None for the fallback)."""
    managers = Membership.objects.filter(
        company_id=case.company_id, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    department = _handlers_department(case)
    if department is not None:
        people = [m.user for m in managers.filter(department=department)]
        if people:
            return people, department
    crm = managers.filter(
        Q(department__isnull=True) | Q(department__kind=Department.Kind.CRM)
    ).order_by("pk")
    return list({m.user_id: m.user for m in crm}.values()), None


def reopen_to_manager(case, *, by) -> list:
    """The visit transition's follow-up when the owner was dissatisfied (same
    transaction): each manager gets one inbox message, and the case an event naming
    them. Returns the managers told (none when the company has no manager)."""
    people, department = reopen_managers(case)
    comment = case.visit_comment or _("no comment")
    messages_send(
        [
            {
                "channel": Channel.INBOX,
                "template": "complaints.reopened_to_manager",
                "body": _(
                    "Case %(number)s is reopened to you: the owner was dissatisfied with "
                    "the return visit (%(comment)s)."
                )
                % {"number": case.number, "comment": comment},
                "recipient": person,
                "company_id": case.company_id,
                "ref": record_ref(case),
                "link": f"/complaints/cases/{case.pk}/",
            }
            for person in people
        ]
    )
    names = "、".join(person.display_name for person in people)
    if department is not None:
        names = f"{names}（{department.name}）"
    record_events(
        [case],
        REOPENED_TO_MANAGER,
        by=by,
        reason=names or _("The company has no manager to hand the case to."),
        payload={"managers": [person.pk for person in people]},
    )
    return people


# --- the signed link ----------------------------------------------------------------


@dataclass(frozen=True)
class LinkStatus:
    """What the link page shows: the round to answer, or why not (`kind` and `message`)."""

    visit: ReturnVisit | None
    kind: str = "open"  # open, answered, tampered, expired, superseded, closed
    message: str = ""

    @property
    def usable(self) -> bool:
        return self.kind == "open"


def link_days(company_id) -> int:
    return int(company_settings.effective(company_id, visit_settings.LINK_DAYS).value)


def link_status(token: str) -> LinkStatus:
    """Check a link without writing anything; the answer re-checks under the lock."""
    try:
        payload = signing.loads(token, salt=SALT)
        visit_id, nonce = int(payload["v"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _refused("tampered")
    visit = (
        ReturnVisit.objects.select_related("case__company", "case__customer")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or not hmac.compare_digest(visit.nonce, nonce):
        return _refused("tampered")
    if visit.case.return_visits.filter(round__gt=visit.round).exists():
        return _refused("superseded", visit)
    if not visit.is_open:
        return LinkStatus(visit, "answered", _("Thank you, your answer is recorded."))
    try:
        signing.loads(token, salt=SALT, max_age=link_days(visit.case.company_id) * 86400)
    except signing.SignatureExpired:
        return _refused("expired", visit)
    if visit.case.status != Case.Status.AWAITING_VISIT:
        return _refused("closed", visit)
    return LinkStatus(visit)


def _refused(kind, visit=None) -> LinkStatus:
    messages = {
        "tampered": _("This link is not valid. Please open the link exactly as we sent it."),
        "expired": _(
            "This link has expired. Please call our service hotline to tell us how we did."
        ),
        "superseded": _("This link is out of date: we have sent you a newer one."),
        "closed": _("This case no longer waits for your answer."),
    }
    return LinkStatus(visit, kind, messages[kind])


def visit_answer_by_link(*, token, verdict, comment="") -> Case:
    """The owner's answer through the link: once, before it expires, for the latest
    round only; through the case's visit transition (a dissatisfied owner reopens it)."""
    status = link_status(token)
    if not status.usable:
        raise LinkRefused(status.message, kind=status.kind)
    case = status.visit.case
    owner = case.customer.user if case.customer_id and case.customer.user_id else None
    with transaction.atomic(), _link_answers(case.pk):
        locked = ReturnVisit.objects.select_for_update().get(pk=status.visit.pk)
        if not locked.is_open:
            raise LinkRefused(_("Thank you, your answer is recorded."), kind="answered")
        return transition(
            case,
            "visit",
            by=owner,
            verdict=verdict,
            reason=comment,
            via=ReturnVisit.Via.LINK,
        )


def visit_record(*, visit, by, verdict, comment="", via=ReturnVisit.Via.PHONE) -> Case:
    """Staff (the API) or the owner (the portal) answer this round of the case."""
    if not visit.is_open:
        raise LinkRefused(_("This return visit is already answered."), kind="answered")
    return transition(visit.case, "visit", by=by, verdict=verdict, reason=comment, via=via)
