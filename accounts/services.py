"""Every write of the accounts app: one-time codes, owner sign-up and sign-in, API tokens."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from notifications.models import Channel
from notifications.services import message_send

from .exceptions import (
    CodeRefused,
    InvalidMobile,
    MobileAlreadyRegistered,
    NotRegistered,
    OwnerNotAllowed,
    TooManyCodes,
)
from .models import OneTimeCode, User, hash_code
from .phone import normalize_mobile

# However the per-minute limits of the views are set, a number never gets more than
# this many codes an hour (SMS cost, and harassment of the number's owner).
CODES_PER_HOUR = 5


def mobile_require(raw) -> str:
    """The E.164 form of a valid mainland mobile number, or InvalidMobile."""
    mobile = normalize_mobile(raw)
    if not mobile:
        raise InvalidMobile()
    return mobile


def _check_codes_per_hour(mobile) -> None:
    now = timezone.now()
    recent = list(
        OneTimeCode.objects.filter(mobile=mobile, created_at__gte=now - timedelta(hours=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:CODES_PER_HOUR]
    )
    if len(recent) >= CODES_PER_HOUR:
        # Free again when the oldest of the last CODES_PER_HOUR leaves the hour.
        free_at = timezone.localtime(recent[-1] + timedelta(hours=1, minutes=1))
        raise TooManyCodes(
            _(
                "This number has been sent %(max)d codes in the last hour, the most we "
                "send. You can ask for a new code after %(time)s."
            )
            % {"max": CODES_PER_HOUR, "time": free_at.strftime("%H:%M")}
        )


def otp_send(*, mobile, purpose) -> OneTimeCode:
    """Send a 6-digit code by SMS. Registering needs a number that no account uses yet;
    signing in needs an owner account with that number; at most CODES_PER_HOUR codes per
    number and hour. The code is stored hashed; the SMS leaves through the outbox."""
    mobile = mobile_require(mobile)
    if purpose == OneTimeCode.Purpose.REGISTER and User.objects.filter(mobile=mobile).exists():
        raise MobileAlreadyRegistered()
    if purpose == OneTimeCode.Purpose.LOGIN and not _owner_by_mobile(mobile):
        raise NotRegistered()
    _check_codes_per_hour(mobile)
    code = OneTimeCode.generate()
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    body = _(
        "Your Vanke verification code is %(code)s. It is valid for %(minutes)d minutes. "
        "Never share it with anyone."
    ) % {"code": code, "minutes": minutes}
    with transaction.atomic():
        otp = OneTimeCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=hash_code(mobile, code),
            expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
        message_send(channel=Channel.SMS, address=mobile, template="otp", body=body)
    return otp


def otp_verify(*, mobile, purpose, code) -> OneTimeCode:
    """Use the latest code sent to `mobile` for `purpose`. Only the latest code counts;
    it works once, before it expires, and dies after OTP_MAX_ATTEMPTS wrong tries. A
    wrong try is counted even though the caller gets an exception."""
    mobile = mobile_require(mobile)
    code = (code or "").strip()
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        refusal = _otp_refusal(otp)
        if refusal is None and not hmac.compare_digest(otp.code_hash, hash_code(mobile, code)):
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
            left = settings.OTP_MAX_ATTEMPTS - otp.attempts
            if left > 0:
                refusal = CodeRefused(
                    ngettext(
                        "The code is not correct. You have %(left)d more try.",
                        "The code is not correct. You have %(left)d more tries.",
                        left,
                    )
                    % {"left": left}
                )
            else:
                refusal = CodeRefused(_("The code is not correct. Please ask for a new code."))
        if refusal is None:
            otp.used_at = timezone.now()
            otp.save(update_fields=["used_at"])
            return otp
    raise refusal


def _otp_refusal(otp):
    if otp is None:
        return CodeRefused(_("No code was sent to this number yet. Please ask for a code."))
    if otp.used_at is not None:
        return CodeRefused(_("This code was already used. Please ask for a new code."))
    if otp.attempts >= settings.OTP_MAX_ATTEMPTS:
        return CodeRefused(_("Too many wrong tries. Please ask for a new code."))
    if otp.expires_at <= timezone.now():
        return CodeRefused(_("This code has expired. Please ask for a new code."))
    return None


def owner_register(*, mobile, code, name, password=None) -> User:
    """Create an owner account for a number proven by a registration code. The number
    must not belong to any account yet. Without a password the owner signs in by code."""
    mobile = mobile_require(mobile)
    if User.objects.filter(mobile=mobile).exists():
        raise MobileAlreadyRegistered()
    otp_verify(mobile=mobile, purpose=OneTimeCode.Purpose.REGISTER, code=code)
    user = User(
        username=_owner_username(mobile),
        mobile=mobile,
        name=(name or "").strip(),
        kind=User.Kind.OWNER,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # registered in the meantime (double submit)
        raise MobileAlreadyRegistered() from exc
    return user


def owner_authenticate(*, mobile, code) -> User:
    """The active owner account of `mobile`, proven by a sign-in code."""
    mobile = mobile_require(mobile)
    user = _owner_by_mobile(mobile)
    if user is None:
        raise NotRegistered()
    otp_verify(mobile=mobile, purpose=OneTimeCode.Purpose.LOGIN, code=code)
    return user


def api_token_issue(*, user) -> Token:
    """The API token of a staff user (owners use their portal, not the staff API)."""
    if user.is_owner:
        raise OwnerNotAllowed()
    token, _created = Token.objects.get_or_create(user=user)
    return token


def _owner_by_mobile(mobile):
    return User.objects.filter(mobile=mobile, kind=User.Kind.OWNER, is_active=True).first()


def _owner_username(mobile: str) -> str:
    national = mobile[3:] if mobile.startswith("+86") else mobile.lstrip("+")
    username = f"owner_{national}"
    while User.objects.filter(username__iexact=username).exists():
        username = f"owner_{national}_{secrets.token_hex(2)}"
    return username
