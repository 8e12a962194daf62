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


def sign_in_name(raw: str) -> str:
    """One spelling per account, so that the lockout counts "138 1234 5678" and
    "+8613812345678" (or "Crm_A" and "crm_a") as the same account: a mobile in E.164,
    anything else in lower case. A character whose lower case is longer ("İ" → "i̇")
    is kept as typed, so the spelling is never longer than what was typed (and fits
    where the lockout records it)."""
    raw = (raw or "").strip()
    return normalize_mobile(raw) or "".join(
        lower if len(lower := ch.lower()) == 1 else ch for ch in raw
    )
