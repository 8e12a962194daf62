"""The customer 360 timeline entries of the complaints app (customers.timeline): each
case of the customer and every step of it, with who did it. Two queries."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from audit.models import StateEvent
from customers.timeline import TimelineEvent

from .models import Case
from .services.cases import WORKFLOW


def case_timeline(customer):
    cases = {
        case.pk: case
        for case in Case.objects.filter(customer=customer).only(
            "pk", "number", "title", "created_at", "type", "status"
        )
    }
    if not cases:
        return []
    entries = []
    for case in cases.values():
        entries.append(
            TimelineEvent(
                case.created_at,
                "case",
                _("%(type)s %(number)s received: %(title)s")
                % {"type": case.get_type_display(), "number": case.number, "title": case.title},
                link=f"/complaints/cases/{case.pk}/",
            )
        )
    steps = StateEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id__in=list(cases)
    ).only("object_id", "action", "at", "actor_name", "reason", "to_state")
    for step in steps:
        case = cases[step.object_id]
        entries.append(
            TimelineEvent(
                step.at,
                "case",
                _("Case %(number)s: %(action)s (by %(who)s)")
                % {
                    "number": case.number,
                    "action": WORKFLOW.label_of_action(step.action),
                    "who": step.actor_name,
                },
                detail=step.reason,
                link=f"/complaints/cases/{case.pk}/",
            )
        )
    return entries
