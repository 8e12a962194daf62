"""What the club does when other apps publish events (subscribed in apps.py)."""

from .services import followup_enqueue


def on_visit_registered(event) -> None:
    """A first-time visitor is queued for the club's follow-up (once per visit)."""
    if event.payload.get("is_first"):
        followup_enqueue(
            customer_id=event.payload["customer_id"], visit_id=event.payload["visit_id"]
        )
