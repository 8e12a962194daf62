"""The complaints' settings in the registry (org.company_settings, decision 0018):
response and resolution times per type × severity in working hours, the near-breach
warning and the return-visit window. Group defaults; a company may set its own within
the bounds."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from org.company_settings import DAYS, HOURS, INT, Setting

from .models import Case

SECTION = _("Complaints: service levels")
T, S = Case.Type, Case.Severity

# (respond within, resolve within) in working hours, per type and severity.
DEFAULTS = {
    T.COMPLAINT: {S.NORMAL: (2, 24), S.SERIOUS: (1, 16), S.GROUP: (1, 8)},
    T.REPAIR: {S.NORMAL: (4, 40), S.SERIOUS: (2, 16), S.GROUP: (1, 8)},
    T.CONSULTATION: {S.NORMAL: (4, 8), S.SERIOUS: (2, 8), S.GROUP: (1, 8)},
    T.SUGGESTION: {S.NORMAL: (8, 40), S.SERIOUS: (4, 24), S.GROUP: (2, 16)},
    T.PRAISE: {S.NORMAL: (8, 16), S.SERIOUS: (8, 16), S.GROUP: (8, 16)},
}
WARNING_HOURS = "complaint_warning_hours"
VISIT_DAYS = "return_visit_days"


def response_key(type_, severity) -> str:
    return f"sla_{type_}_{severity}_response_hours"


def resolution_key(type_, severity) -> str:
    return f"sla_{type_}_{severity}_resolution_hours"


def _settings():
    order = 0
    for type_, by_severity in DEFAULTS.items():
        for severity, (respond, resolve) in by_severity.items():
            order += 2
            name = format_lazy("{} · {}", T(type_).label, S(severity).label)
            yield Setting(
                response_key(type_, severity),
                format_lazy("{}: {}", name, _("respond within")),
                INT,
                default=respond,
                unit=HOURS,
                minimum=1,
                maximum=240,
                help_text=_("Working hours from intake to the first answer to the owner."),
                section=SECTION,
                order=order,
            )
            yield Setting(
                resolution_key(type_, severity),
                format_lazy("{}: {}", name, _("resolve within")),
                INT,
                default=resolve,
                unit=HOURS,
                minimum=1,
                maximum=2000,
                help_text=_("Working hours from intake to the resolution."),
                section=SECTION,
                order=order + 1,
            )
    yield Setting(
        WARNING_HOURS,
        _("Warn before a deadline"),
        INT,
        default=2,
        unit=HOURS,
        minimum=1,
        maximum=48,
        help_text=_("Working hours before a deadline at which the person in charge is warned."),
        section=SECTION,
        order=200,
    )
    yield Setting(
        VISIT_DAYS,
        _("Return visit within"),
        INT,
        default=3,
        unit=DAYS,
        minimum=1,
        maximum=30,
        help_text=_("Working days after the resolution within which the owner is asked."),
        section=SECTION,
        order=201,
    )


SETTINGS = tuple(_settings())
