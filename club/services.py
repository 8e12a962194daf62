"""Writes of the club app."""

from .models import FollowUp


def followup_enqueue(*, customer, visit) -> FollowUp:
    """Queue a first-time visitor for the club's follow-up (once per visit)."""
    followup, _created = FollowUp.objects.get_or_create(
        visit=visit, defaults={"customer": customer}
    )
    return followup
