"""The group complaints' setting in the registry (org.company_settings, decision 0018):
how far apart two owners' cases may be received and still be suggested as one cause."""

from django.utils.translation import gettext_lazy as _

from org.company_settings import DAYS, INT, Setting

from .sla_settings import SECTION

WINDOW_DAYS = "incident_window_days"

SETTINGS = (
    Setting(
        WINDOW_DAYS,
        _("Group complaint suggestions within"),
        INT,
        default=7,
        unit=DAYS,
        minimum=1,
        maximum=90,
        help_text=_(
            "Open cases of the same building and category received within this many days "
            "of a group complaint's lead case are suggested for linking to it."
        ),
        section=SECTION,
        order=210,
    ),
)
