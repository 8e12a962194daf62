"""The lengths of the customer lifecycle, declared in the settings registry
(org.company_settings; registered in apps.py). Group staff set the group's defaults,
each company may set its own within the bounds."""

from django.utils.translation import gettext_lazy as _

from org.company_settings import DAYS, INT, YEARS, Setting

SECTION = _("Customers")

SETTINGS = [
    Setting(
        "cancellation_window_days",
        _("No-questions cancellation window"),
        INT,
        default=3,
        unit=DAYS,
        minimum=1,
        maximum=30,
        help_text=_(
            "Days after the subscription in which a buyer may cancel without giving a"
            " reason; later cancellations wait for a manager's approval."
        ),
        section=SECTION,
        order=10,
    ),
    Setting(
        "move_in_lead_days",
        _("Move-in step starts before delivery"),
        INT,
        default=60,
        unit=DAYS,
        minimum=0,
        maximum=365,
        help_text=_("Days before the contracted delivery date at which the move-in step begins."),
        section=SECTION,
        order=20,
    ),
    Setting(
        "warranty_years",
        _("General warranty"),
        INT,
        default=2,
        unit=YEARS,
        minimum=2,
        maximum=10,
        minimum_reason=_("the statutory minimum for decoration, electrical and plumbing work"),
        help_text=_(
            "Years after the handover until an owner moves to the step after the warranty."
        ),
        section=SECTION,
        order=30,
    ),
]

# A change of these moves customers between steps: the company's steps are swept again.
STEP_KEYS = frozenset({"move_in_lead_days", "warranty_years"})
