"""Translations of the group's default work points (their labels are stored in
English by the data migration and shown through gettext)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "first-visit-recorded": _("Record the first visit and the visitor's needs"),
    "handed-to-club": _("Hand the first-time visitor to the owners' club"),
    "risk-disclosure-outside": _("Show the risk disclosure outside the site (1 km)"),
    "risk-disclosure-inside": _("Disclose adverse factors inside the site before signing"),
    "mortgage-risks": _("Explain mortgage and payment risks"),
    "cancellation-window": _("Explain the no-questions cancellation window"),
    "service-contact": _("Send the message naming the customer's service contact"),
    "progress-published": _("Construction progress published for the project"),
    "site-open-day": _("Invite to a site open day"),
    "meet-property": _("Introduce the property-management team"),
    "readiness": _("Move-in readiness checked"),
    "mock-inspection": _("Mock inspection of the unit done"),
    "formal-inspection": _("Formal inspection and keys handed over"),
    "early-care": _("Early-occupancy care call"),
    "move-in-return-visit": _("Return visit after move-in"),
    "quality-check": _("First-year quality check of the home"),
    "satisfaction-survey": _("Third-party satisfaction survey invited"),
    "warranty-notice": _("Notice before warranty items end"),
    "loyalty-fund": _("Loyalty repair fund explained"),
    "community-events": _("Invited to club and community events"),
}


def label_of(work_point) -> str:
    """Group defaults are translated; a company's own points show as typed."""
    if work_point.company_id is None and work_point.code in LABELS:
        return str(LABELS[work_point.code])
    return work_point.label


def ensure_default_workpoints() -> int:
    """Create any missing group default work points (the data migration makes them;
    this restores them after a database flush, e.g. in transactional tests or a
    demo database rebuilt from a dump). Idempotent; returns how many it created."""
    import importlib

    from .models import WorkPoint

    defaults = importlib.import_module(
        "customers.migrations.0002_search_indexes_and_work_points"
    ).DEFAULT_POINTS
    created = 0
    for order, (step, code, label) in enumerate(defaults):
        _point, made = WorkPoint.objects.get_or_create(
            company=None, code=code, defaults={"step": step, "label": label, "order": order}
        )
        created += made
    return created
