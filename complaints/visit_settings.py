"""The return-visit link's settings in the registry (org.company_settings, decision
0018): how long the owner's signed SMS link stays usable."""

from django.utils.translation import gettext_lazy as _

from org.company_settings import DAYS, INT, Setting

from .sla_settings import SECTION

LINK_DAYS = "return_visit_link_days"

SETTINGS = (
    Setting(
        LINK_DAYS,
        _("Return visit link valid for"),
        INT,
        default=7,
        unit=DAYS,
        minimum=1,
        maximum=30,
        help_text=_("Days the owner's SMS link to answer the return visit stays usable."),
        section=SECTION,
        order=202,
    ),
)
