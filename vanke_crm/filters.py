"""Filters every FilterSet uses for dates and times, in the API and on the pages.

django-filter's date/time filters accept any ISO 8601 offset Python can represent
(up to ±23:59) and hand the aware value to the database as typed; PostgreSQL refuses
offsets past ±15:59, and converting a value near year 1 or 9999 to UTC overflows.
Both ended as a 500. Here a value is checked and converted to UTC while the form is
cleaned, so a bad value is a 400 (or a form error) with a message saying what to type.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

# The time zones in use run from UTC-12:00 to UTC+14:00; anything further is a typo.
EARLIEST_OFFSET = datetime.timedelta(hours=-12)
LATEST_OFFSET = datetime.timedelta(hours=14)


class DateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time (a value without an offset is in the site's time
    zone), returned in UTC."""

    default_error_messages = {
        "invalid": _("Enter a date and time such as 2026-01-01T09:30:00+08:00."),
        "offset": _("Enter a time zone offset between -12:00 and +14:00."),
        "range": _("Enter a date and time between the years 1 and 9999."),
    }

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["range"], code="range") from None
        if value is None:
            return None
        if not EARLIEST_OFFSET <= value.utcoffset() <= LATEST_OFFSET:
            raise ValidationError(self.error_messages["offset"], code="offset")
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["range"], code="range") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """Use this (not django-filter's DateTimeFilter or IsoDateTimeFilter) for every
    date/time filter; tests/api/test_date_filters.py checks that no FilterSet uses
    another one."""

    field_class = DateTimeField
