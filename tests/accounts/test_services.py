from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import services
from accounts.exceptions import (
    CodeRefused,
    InvalidMobile,
    MobileAlreadyRegistered,
    NotRegistered,
    OwnerNotAllowed,
    TooManyCodes,
)
from accounts.models import OneTimeCode, User, hash_code
from notifications.models import Channel, Message
from tests.factories import UserFactory

from .conftest import deliver_code

MOBILE = "+8613912345678"
REGISTER = OneTimeCode.Purpose.REGISTER
LOGIN = OneTimeCode.Purpose.LOGIN


def send(purpose=REGISTER, mobile=MOBILE):
    otp = services.otp_send(mobile=mobile, purpose=purpose)
    return otp, deliver_code(otp.mobile)


@pytest.mark.smoke
def test_code_is_stored_hashed_and_sent_through_the_sms_outbox(db, sms_outbox):
    otp, code = send(mobile="139 1234 5678")
    assert otp.mobile == MOBILE
    assert otp.code_hash == hash_code(MOBILE, code)
    assert code not in otp.code_hash
    message = Message.objects.get(address=MOBILE)
    assert (message.channel, message.template, message.status) == (
        Channel.SMS,
        "otp",
        Message.Status.SENT,
    )
    assert sms_outbox[-1].to == MOBILE
    assert otp.expires_at > timezone.now() + timedelta(minutes=4)


def test_invalid_mobile_is_refused_and_nothing_is_sent(db):
    with pytest.raises(InvalidMobile):
        services.otp_send(mobile="12345", purpose=REGISTER)
    assert not OneTimeCode.objects.exists()
    assert not Message.objects.exists()


def test_registration_code_for_a_registered_number_is_refused(db):
    UserFactory(mobile=MOBILE, kind=User.Kind.OWNER)
    with pytest.raises(MobileAlreadyRegistered):
        services.otp_send(mobile=MOBILE, purpose=REGISTER)


def test_sign_in_code_for_an_unknown_number_is_refused(db):
    with pytest.raises(NotRegistered):
        services.otp_send(mobile=MOBILE, purpose=LOGIN)


def test_sign_in_code_for_a_staff_number_is_refused(db):
    UserFactory(mobile=MOBILE)  # staff
    with pytest.raises(NotRegistered):
        services.otp_send(mobile=MOBILE, purpose=LOGIN)


def test_at_most_five_codes_per_number_and_hour(db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(services.CODES_PER_HOUR):
            services.otp_send(mobile=MOBILE, purpose=REGISTER)
            traveller.shift(timedelta(minutes=2))
        with pytest.raises(TooManyCodes):
            services.otp_send(mobile=MOBILE, purpose=REGISTER)
        traveller.shift(timedelta(minutes=55))
        services.otp_send(mobile=MOBILE, purpose=REGISTER)


def test_right_code_works_once(db):
    _otp, code = send()
    services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)
    with pytest.raises(CodeRefused, match="already used"):
        services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)


def test_wrong_code_is_counted_even_though_it_is_refused(db):
    otp, code = send()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(CodeRefused, match="4 more tries"):
        services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=wrong)
    otp.refresh_from_db()
    assert otp.attempts == 1
    assert otp.used_at is None


def test_code_dies_after_the_maximum_of_wrong_tries(db, settings):
    otp, code = send()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        with pytest.raises(CodeRefused):
            services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=wrong)
    with pytest.raises(CodeRefused, match="Too many wrong tries"):
        services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)
    otp.refresh_from_db()
    assert otp.used_at is None
    assert not otp.is_usable


def test_expired_code_is_refused(db, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _otp, code = send()
        traveller.shift(timedelta(seconds=settings.OTP_TTL_SECONDS + 1))
        with pytest.raises(CodeRefused, match="expired"):
            services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)


def test_only_the_latest_code_counts(db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _first, first_code = send()
        traveller.shift(timedelta(minutes=1))
        _second, second_code = send()
    if first_code != second_code:
        with pytest.raises(CodeRefused):
            services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=first_code)
    services.otp_verify(mobile=MOBILE, purpose=REGISTER, code=second_code)


def test_registration_code_does_not_sign_in(db):
    UserFactory(mobile=MOBILE, kind=User.Kind.OWNER)
    OneTimeCode.objects.create(
        mobile=MOBILE,
        purpose=REGISTER,
        code_hash=hash_code(MOBILE, "123456"),
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    with pytest.raises(CodeRefused, match="No code was sent"):
        services.owner_authenticate(mobile=MOBILE, code="123456")


def test_no_code_sent_is_refused(db):
    with pytest.raises(CodeRefused, match="No code was sent"):
        services.otp_verify(mobile=MOBILE, purpose=REGISTER, code="123456")


@pytest.mark.smoke
def test_owner_register_without_password_signs_in_by_code_only(db):
    _otp, code = send()
    user = services.owner_register(mobile="13912345678", code=code, name=" 王小明 ")
    assert user.kind == User.Kind.OWNER
    assert user.mobile == MOBILE
    assert user.name == "王小明"
    assert user.username == "owner_13912345678"
    assert not user.has_usable_password()


def test_owner_register_with_password(db):
    _otp, code = send()
    user = services.owner_register(
        mobile=MOBILE, code=code, name="王小明", password="Wanke-2026-home"
    )
    assert user.check_password("Wanke-2026-home")


def test_owner_register_twice_is_refused(db):
    _otp, code = send()
    services.owner_register(mobile=MOBILE, code=code, name="王小明")
    with pytest.raises(MobileAlreadyRegistered):
        services.owner_register(mobile=MOBILE, code=code, name="王小明")
    assert User.objects.filter(mobile=MOBILE).count() == 1


def test_owner_register_with_wrong_code_creates_nothing(db):
    send()
    with pytest.raises(CodeRefused):
        services.owner_register(mobile=MOBILE, code="000000x", name="王小明")
    assert not User.objects.filter(mobile=MOBILE).exists()


def test_owner_username_avoids_an_existing_username(db):
    UserFactory(username="owner_13912345678", mobile="+8613800009999")
    _otp, code = send()
    user = services.owner_register(mobile=MOBILE, code=code, name="王小明")
    assert user.username.startswith("owner_13912345678_")


def test_owner_authenticate_by_code(db):
    owner = UserFactory(mobile=MOBILE, kind=User.Kind.OWNER)
    _otp, code = send(purpose=LOGIN)
    assert services.owner_authenticate(mobile=MOBILE, code=code) == owner


def test_api_token_is_refused_to_owners(db):
    owner = UserFactory(kind=User.Kind.OWNER)
    with pytest.raises(OwnerNotAllowed):
        services.api_token_issue(user=owner)


def test_api_token_is_stable_for_staff(crm_a):
    first = services.api_token_issue(user=crm_a)
    assert services.api_token_issue(user=crm_a).key == first.key
