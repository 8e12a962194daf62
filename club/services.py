"""Writes of the club app."""

from .models import FollowUp


def followup_enqueue(*, customer_id, visit_id) -> FollowUp:
    """Queue a first-time visitor for the club's follow-up (once per visit: safe to
    run again when the event is delivered twice)."""
    followup, _created = FollowUp.objects.get_or_create(
        visit_id=visit_id, defaults={"customer_id": customer_id}
    )
    return followup
