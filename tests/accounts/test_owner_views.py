import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import OneTimeCode, User
from notifications.models import Message
from tests.factories import PASSWORD, UserFactory

from .conftest import deliver_code

MOBILE = "139 1234 5678"
E164 = "+8613912345678"
REGISTER = "/accounts/owner/register/"
VERIFY = "/accounts/owner/register/verify/"
OWNER_LOGIN = "/accounts/owner/login/"
OWNER_PASSWORD_LOGIN = "/accounts/owner/login/password/"
OWNER_HOME = "/accounts/owner/"


def user_id(client):
    return client.session.get("_auth_user_id")


def register_form(code, **extra):
    data = {"code": code, "name": "王小明", "password1": "", "password2": ""}
    data.update(extra)
    return data


def start_registration(client, mobile=MOBILE):
    response = client.post(REGISTER, {"mobile": mobile})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == VERIFY
    return deliver_code(E164)


@pytest.fixture
def owner(db):
    return UserFactory(mobile=E164, kind=User.Kind.OWNER, name="王小明")


def test_owner_urls():
    assert reverse("accounts:owner_register") == REGISTER
    assert reverse("accounts:owner_register_verify") == VERIFY
    assert reverse("accounts:owner_login") == OWNER_LOGIN
    assert reverse("accounts:owner_home") == OWNER_HOME


@pytest.mark.smoke
def test_registration_pages_render_for_the_public(client, db):
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert 'class="public"' in response.content.decode()
    assert client.get(OWNER_LOGIN).status_code == 200
    assert client.get(OWNER_PASSWORD_LOGIN).status_code == 200


def test_owner_registers_signs_in_sees_home_and_signs_out(client, db):
    code = start_registration(client)
    step2 = client.get(VERIFY)
    assert "139****5678" in step2.content.decode()

    response = client.post(VERIFY, register_form(code))
    assert response.status_code == 302
    assert response["Location"] == OWNER_HOME
    user = User.objects.get(mobile=E164)
    assert user.kind == User.Kind.OWNER
    assert not user.has_usable_password()
    assert user_id(client) == str(user.pk)

    home = client.get(OWNER_HOME)
    content = home.content.decode()
    assert home.status_code == 200
    assert "王小明" in content
    assert "139****5678" in content
    assert E164 not in content and "13912345678" not in content
    assert "Your units will appear here once we link your customer record." in content

    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == OWNER_LOGIN
    assert user_id(client) is None


def test_registration_with_password_allows_password_sign_in(client, db):
    code = start_registration(client)
    client.post(
        VERIFY, register_form(code, password1="Wanke-2026-home", password2="Wanke-2026-home")
    )
    client.post(reverse("accounts:logout"))
    response = client.post(OWNER_PASSWORD_LOGIN, {"mobile": MOBILE, "password": "Wanke-2026-home"})
    assert response["Location"] == OWNER_HOME


def test_registration_passwords_must_match_and_be_strong(client, db):
    code = start_registration(client)
    response = client.post(VERIFY, register_form(code, password1="Wanke-2026", password2="x"))
    assert response.status_code == 400
    assert "The two passwords do not match." in response.content.decode()
    response = client.post(VERIFY, register_form(code, password1="123", password2="123"))
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not User.objects.filter(mobile=E164).exists()


def test_wrong_code_shows_message_keeps_the_name_and_counts(client, db):
    code = start_registration(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, register_form(wrong))
    assert response.status_code == 400
    content = response.content.decode()
    assert "The code is not correct. You have 4 more tries." in content
    assert 'value="王小明"' in content
    assert OneTimeCode.objects.get(mobile=E164).attempts == 1
    assert not User.objects.filter(mobile=E164).exists()
    assert user_id(client) is None


def test_code_dies_after_too_many_wrong_tries(client, db):
    code = start_registration(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        client.post(VERIFY, register_form(wrong))
    response = client.post(VERIFY, register_form(code))
    assert response.status_code == 400
    assert "Too many wrong tries. Please ask for a new code." in response.content.decode()
    assert not User.objects.filter(mobile=E164).exists()


def test_malformed_code_is_a_400(client, db):
    start_registration(client)
    response = client.post(VERIFY, register_form("12ab"))
    assert response.status_code == 400
    assert "The code has 6 digits." in response.content.decode()


def test_expired_code_is_refused(client, db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        code = start_registration(client)
        traveller.shift(timedelta(seconds=settings.OTP_TTL_SECONDS + 1))
        response = client.post(VERIFY, register_form(code))
    assert response.status_code == 400
    assert "This code has expired. Please ask for a new code." in response.content.decode()
    assert not User.objects.filter(mobile=E164).exists()


def test_used_code_cannot_sign_in_again(client, owner):
    client.post(OWNER_LOGIN, {"mobile": MOBILE, "action": "send"})
    code = deliver_code(E164)
    assert client.post(OWNER_LOGIN, {"mobile": MOBILE, "code": code})["Location"] == OWNER_HOME
    client.post(reverse("accounts:logout"))

    response = client.post(OWNER_LOGIN, {"mobile": MOBILE, "code": code, "action": "login"})
    assert response.status_code == 400
    assert "This code was already used." in response.content.decode()
    assert user_id(client) is None


@pytest.mark.smoke
def test_invalid_mobile_is_refused_and_kept_in_the_form(client, db):
    response = client.post(REGISTER, {"mobile": "12345"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter a valid mainland China mobile number" in content
    assert 'value="12345"' in content
    assert not OneTimeCode.objects.exists()
    assert not Message.objects.exists()


def test_registered_number_is_pointed_to_sign_in(client, owner):
    response = client.post(REGISTER, {"mobile": MOBILE})
    assert response.status_code == 400
    content = response.content.decode()
    assert "already registered" in content
    assert OWNER_LOGIN in content
    assert not OneTimeCode.objects.exists()


def test_second_code_within_a_minute_is_a_429(client, db):
    start_registration(client)
    response = client.post(REGISTER, {"mobile": MOBILE})
    assert response.status_code == 429
    content = response.content.decode()
    assert "A code was sent to this number less than a minute ago" in content
    assert re.search(r"another one in \d+ seconds?\.", content)
    assert "network" not in content and "briefly unavailable" not in content
    assert 'value="139 1234 5678"' in content
    assert OneTimeCode.objects.count() == 1


def test_codes_per_address_are_limited_and_the_page_says_until_when(client, db):
    with time_machine.travel(timezone.make_aware(datetime(2026, 5, 4, 9, 0, 30)), tick=False):
        statuses = [
            client.post(REGISTER, {"mobile": f"1391234{n:04d}"}).status_code for n in range(11)
        ]
        content = client.post(REGISTER, {"mobile": "13912349999"}).content.decode()
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert OneTimeCode.objects.count() == 10
    # The page names the limit and a time within the coming hour (the window's end).
    assert "from your network in the last hour" in content
    shown = re.search(r"after (\d\d:\d\d)\.", content).group(1)
    assert "09:01" <= shown <= "10:01"


def test_codes_per_number_and_hour_say_when_the_number_may_ask_again(client, db):
    start = timezone.make_aware(datetime(2026, 5, 4, 9, 0))
    with time_machine.travel(start, tick=False) as traveller:
        for _n in range(5):
            assert client.post(REGISTER, {"mobile": MOBILE}).status_code == 302
            traveller.shift(timedelta(minutes=2))
        response = client.post(REGISTER, {"mobile": MOBILE})
    assert response.status_code == 429
    content = response.content.decode()
    assert "has been sent 5 codes in the last hour" in content
    assert "after 10:01" in content  # the first code (09:00) leaves the hour at 10:00
    assert OneTimeCode.objects.count() == 5


def test_cache_down_sends_no_code_and_says_the_service_is_briefly_unavailable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # refuses connections
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        }
    }
    response = client.post(REGISTER, {"mobile": MOBILE})
    assert response.status_code == 503
    content = response.content.decode()
    assert "Sending codes is briefly unavailable" in content
    assert "minute ago" not in content
    assert not OneTimeCode.objects.exists() and not Message.objects.exists()


def test_verify_step_without_a_number_goes_back_to_step_one(client, db):
    response = client.get(VERIFY)
    assert response["Location"] == REGISTER


def test_owner_signs_in_with_a_code(client, owner):
    response = client.post(OWNER_LOGIN, {"mobile": MOBILE, "action": "send"})
    assert response.status_code == 302
    code = deliver_code(E164)
    page = client.get(OWNER_LOGIN)
    assert f'value="{E164}"' in page.content.decode()  # the number stays filled in
    response = client.post(OWNER_LOGIN, {"mobile": MOBILE, "code": code, "action": "login"})
    assert response["Location"] == OWNER_HOME
    assert user_id(client) == str(owner.pk)


def test_code_sign_in_needs_the_code(client, owner):
    response = client.post(OWNER_LOGIN, {"mobile": MOBILE, "action": "login"})
    assert response.status_code == 400
    assert "Enter the 6-digit code we sent you." in response.content.decode()


def test_code_for_unknown_number_points_to_registration(client, db):
    response = client.post(OWNER_LOGIN, {"mobile": MOBILE, "action": "send"})
    assert response.status_code == 400
    assert "Please register first." in response.content.decode()
    assert not OneTimeCode.objects.exists()


def test_owner_signs_in_with_a_password_and_safe_next(client, owner):
    response = client.post(
        f"{OWNER_PASSWORD_LOGIN}?next=/accounts/owner/",
        {"mobile": MOBILE, "password": PASSWORD, "next": "//evil.example.com/"},
    )
    assert response["Location"] == OWNER_HOME
    assert user_id(client) == str(owner.pk)


def test_owner_wrong_password(client, owner):
    response = client.post(OWNER_PASSWORD_LOGIN, {"mobile": MOBILE, "password": "nope"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "The mobile number and the password do not match." in content
    assert 'value="139 1234 5678"' in content
    assert user_id(client) is None


def test_owner_password_sign_in_locks_after_failures(client, owner):
    for _ in range(6):
        response = client.post(OWNER_PASSWORD_LOGIN, {"mobile": MOBILE, "password": "nope"})
    assert response.status_code == 429
    response = client.post(OWNER_PASSWORD_LOGIN, {"mobile": MOBILE, "password": PASSWORD})
    assert response.status_code == 429
    assert user_id(client) is None


def test_staff_on_owner_sign_in_is_refused(client, crm_a):
    response = client.post(OWNER_PASSWORD_LOGIN, {"mobile": crm_a.mobile, "password": PASSWORD})
    assert response.status_code == 403
    assert "Staff please use the staff sign-in." in response.content.decode()
    assert user_id(client) is None


def test_owner_home_needs_sign_in(client, db):
    response = client.get(OWNER_HOME)
    assert response["Location"] == f"{OWNER_LOGIN}?next={OWNER_HOME}"


def test_staff_on_owner_home_goes_home(client, crm_a):
    client.force_login(crm_a)
    response = client.get(OWNER_HOME)
    assert response["Location"] == "/"


def test_owner_home_from_root(client, owner):
    client.force_login(owner)
    response = client.get("/")
    assert response["Location"] == OWNER_HOME
