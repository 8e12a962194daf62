"""Mainland mobile numbers, stored in E.164 (+8613812345678)."""

import phonenumbers


def normalize_mobile(raw: str | None) -> str | None:
    """Return the E.164 form of a valid CN mobile number, or None."""
    if not raw:
        return None
    text = "".join(ch for ch in str(raw) if ch.isdigit() or ch == "+")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164: str | None) -> str:
    """+8613812345678 → 138****5678 (public pages never show a full number)."""
    if not e164:
        return ""
    national = e164[3:] if e164.startswith("+86") else e164
    return national[:3] + "****" + national[-4:] if len(national) >= 7 else "****"
