"""Mainland resident ID numbers (GB 11643-1999): 17 digits and a check character."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def id_number_error(value: str) -> str | None:
    """None when valid, otherwise the reason (translated)."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return _("An ID number has 18 characters: 17 digits and a digit or X.")
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The birth date inside this ID number does not exist.")
    if born > datetime.date.today() or born.year < 1900:
        return _("The birth date inside this ID number does not exist.")
    total = sum(int(d) * w for d, w in zip(value[:17], WEIGHTS, strict=True))
    if CHECK[total % 11] != value[17]:
        return _("This ID number's check digit is wrong; please check it against the card.")
    return None


def validate_id_number(value: str) -> None:
    error = id_number_error(value)
    if error:
        raise ValidationError(error, code="invalid_id_number")


def mask_id_number(value: str) -> str:
    """Every character hidden: the birthday is shown in clear beside it, so any digits
    left visible (region, sequence, check digit) would leave only a handful of numbers
    to guess from (docs/decisions/0012-id-numbers.md)."""
    return "*" * len(value) if value else ""


def make_id_number(prefix17: str) -> str:
    """Complete 17 digits with the check character (demo data, tests)."""
    total = sum(int(d) * w for d, w in zip(prefix17, WEIGHTS, strict=True))
    return prefix17 + CHECK[total % 11]
