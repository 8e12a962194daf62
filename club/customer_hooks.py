"""What the club contributes to the customer 360 timeline and to a merge."""

from django.utils.translation import gettext as _

from customers.timeline import TimelineEvent

from .models import FollowUp


def move_followups(source, target, dry_run):
    rows = FollowUp.objects.filter(customer=source)
    count = rows.count()
    if not dry_run:
        rows.update(customer=target)
    return {_("Club follow-ups"): count}


def club_timeline(customer):
    return [
        TimelineEvent(
            f.created_at,
            "club",
            _("Handed to the owners' club for follow-up (%(status)s)")
            % {"status": f.get_status_display()},
        )
        for f in FollowUp.objects.filter(customer=customer)
    ]
