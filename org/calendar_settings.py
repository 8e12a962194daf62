"""Working hours of the working calendar (org.working_time), declared in the settings
registry (registered in apps.py): group defaults, each company may set its own.

The choices keep every combination sensible, so no pair of settings can contradict
each other: the day starts by 11:00 and ends from 14:00, and the lunch break starts
between 11:00 and 13:00 and lasts at most two hours. Whatever is chosen, a working day
has working time (at least one hour)."""

from django.utils.translation import gettext_lazy as _

from .company_settings import CHOICE, INT, MINUTES, Setting

SECTION = _("Working calendar")

DAY_START = "working_day_start"
DAY_END = "working_day_end"
LUNCH_START = "lunch_break_start"
LUNCH_MINUTES = "lunch_break_minutes"
KEYS = (DAY_START, DAY_END, LUNCH_START, LUNCH_MINUTES)


def _times(first_hour: int, last_hour: int) -> tuple:
    """Half hours from first_hour:00 to last_hour:00, as (code, label) choices."""
    codes = [
        f"{hour:02d}:{minute:02d}"
        for hour in range(first_hour, last_hour + 1)
        for minute in (0, 30)
    ]
    return tuple((code, code) for code in codes if code <= f"{last_hour:02d}:00")


SETTINGS = [
    Setting(
        DAY_START,
        _("Working day starts at"),
        CHOICE,
        default="09:00",
        choices=_times(6, 11),
        help_text=_("Complaint deadlines count working hours from this time on working days."),
        section=SECTION,
        order=10,
    ),
    Setting(
        DAY_END,
        _("Working day ends at"),
        CHOICE,
        default="18:00",
        choices=_times(14, 23),
        help_text=_("Working hours stop counting at this time and go on the next working day."),
        section=SECTION,
        order=20,
    ),
    Setting(
        LUNCH_START,
        _("Lunch break starts at"),
        CHOICE,
        default="12:00",
        choices=_times(11, 13),
        help_text=_("The clock stops for the lunch break."),
        section=SECTION,
        order=30,
    ),
    Setting(
        LUNCH_MINUTES,
        _("Lunch break"),
        INT,
        default=60,
        unit=MINUTES,
        minimum=0,
        maximum=120,
        help_text=_("0 means no lunch break: the clock runs from the start to the end of the day."),
        section=SECTION,
        order=40,
    ),
]
