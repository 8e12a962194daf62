from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from accounts.models import User
from org.models import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

LOGIN = "/accounts/login/"


def spaced(mobile):
    national = mobile[3:]
    return f"{national[:3]} {national[3:7]} {national[7:]}"


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.smoke
def test_login_url_is_the_staff_sign_in_page(client, db):
    assert reverse("accounts:login") == LOGIN
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.smoke
def test_staff_signs_in_with_username_and_lands_on_home(client, crm_a):
    response = client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(crm_a.pk)


def test_username_is_not_case_sensitive(client, crm_a):
    response = client.post(LOGIN, {"username": "  CRM_A ", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(crm_a.pk)


def test_staff_signs_in_with_mobile_number(client, crm_a):
    response = client.post(LOGIN, {"username": spaced(crm_a.mobile), "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(crm_a.pk)


@pytest.mark.smoke
def test_wrong_password_shows_message_and_keeps_username(client, crm_a):
    response = client.post(LOGIN, {"username": "crm_a", "password": "wrong"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "do not match" in content
    assert 'value="crm_a"' in content
    assert logged_in_user_id(client) is None


def test_unknown_user_gets_the_same_message(client, db):
    response = client.post(LOGIN, {"username": "nobody", "password": "wrong"})
    assert response.status_code == 400
    assert "do not match" in response.content.decode()


def test_missing_fields_are_a_400_with_messages(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_owner_on_staff_sign_in_is_told_to_use_owner_sign_in(client, db):
    owner = UserFactory(kind=User.Kind.OWNER)
    response = client.post(LOGIN, {"username": owner.username, "password": PASSWORD})
    assert response.status_code == 403
    content = response.content.decode()
    assert "Owners please use the owner sign-in" in content
    assert reverse("accounts:owner_login") in content
    assert logged_in_user_id(client) is None


def test_inactive_staff_cannot_sign_in(client, crm_a):
    crm_a.is_active = False
    crm_a.save()
    response = client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 400
    assert logged_in_user_id(client) is None


def test_six_wrong_passwords_lock_the_account_with_429(client, crm_a):
    statuses = [
        client.post(LOGIN, {"username": "crm_a", "password": f"wrong{i}"}).status_code
        for i in range(6)
    ]
    # Four plain refusals; the fifth failure reaches AXES_FAILURE_LIMIT and locks.
    assert statuses[:4] == [400] * 4
    assert statuses[4:] == [429, 429]
    response = client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert 'data-testid="locked"' in content
    assert "try again in 15 minutes" in content
    assert logged_in_user_id(client) is None


def test_lock_counts_every_spelling_of_the_same_mobile(client, crm_a):
    national = crm_a.mobile[3:]
    spellings = [national, crm_a.mobile, spaced(crm_a.mobile), f"86{national}", f"{national} "]
    for spelling in spellings:
        client.post(LOGIN, {"username": spelling, "password": "wrong"})
    response = client.post(LOGIN, {"username": national, "password": PASSWORD})
    assert response.status_code == 429


def test_account_locked_by_its_username_is_locked_for_its_mobile_too(client, crm_a):
    for i in range(5):
        client.post(LOGIN, {"username": "crm_a", "password": f"wrong{i}"})
    for identifier in (crm_a.mobile[3:], spaced(crm_a.mobile), "CRM_A"):
        response = client.post(LOGIN, {"username": identifier, "password": PASSWORD})
        assert response.status_code == 429, identifier
        assert logged_in_user_id(client) is None


def test_account_locked_by_its_mobile_is_locked_for_its_username_too(client, crm_a):
    for i in range(5):
        client.post(LOGIN, {"username": crm_a.mobile[3:], "password": f"wrong{i}"})
    response = client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_failures_against_one_account_do_not_lock_another(client, crm_a, crm_b):
    for i in range(5):
        client.post(LOGIN, {"username": "crm_a", "password": f"wrong{i}"})
    assert client.post(LOGIN, {"username": "crm_b", "password": PASSWORD}).status_code == 302


def test_lock_is_per_account_and_address(client, crm_a):
    for i in range(6):
        client.post(LOGIN, {"username": "crm_a", "password": f"wrong{i}"})
    # A colleague behind another address is not locked out by these typos.
    response = client.post(
        LOGIN, {"username": "crm_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302


def test_lock_ends_after_15_minutes(client, crm_a):
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False) as traveller:
        for i in range(6):
            client.post(LOGIN, {"username": "crm_a", "password": f"wrong{i}"})
        traveller.shift(timedelta(minutes=14))
        assert client.post(LOGIN, {"username": "crm_a", "password": PASSWORD}).status_code == 429
        # A try while locked starts the 15 minutes again (the page says "in 15 minutes").
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_rotates_the_session_key(client, crm_a):
    session = client.session
    session["before_login"] = "yes"
    session.save()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(LOGIN, {"username": "crm_a", "password": PASSWORD})

    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not SessionStore().exists(old_key)
    assert logged_in_user_id(client) == str(crm_a.pk)


def test_safe_next_is_followed(client, crm_a):
    response = client.post(
        f"{LOGIN}?next=/notifications/",
        {"username": "crm_a", "password": PASSWORD, "next": "/notifications/"},
    )
    assert response["Location"] == "/notifications/"


def test_foreign_next_is_ignored(client, crm_a):
    response = client.post(
        LOGIN, {"username": "crm_a", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


@pytest.mark.smoke
def test_logout_by_get_does_nothing(client, crm_a):
    client.force_login(crm_a)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert logged_in_user_id(client) == str(crm_a.pk)


@pytest.mark.smoke
def test_logout_by_post_signs_out(client, crm_a):
    client.force_login(crm_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert logged_in_user_id(client) is None


def test_signed_in_user_visiting_login_goes_home(client, crm_a):
    client.force_login(crm_a)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("typed", ["İ" * 150, "测" * 151, "测" * 300])
def test_overlong_or_growing_usernames_are_refused_not_a_server_error(client, db, typed):
    """The page and the API take at most 150 characters, and "İ" (two characters in
    lower case) must not grow the one spelling past what the lockout records (255)."""
    response = client.post(LOGIN, {"username": typed, "password": "not-the-password"})
    assert response.status_code == 400
    api = client.post(
        "/api/v1/auth/token/",
        {"username": typed, "password": "not-the-password"},
        content_type="application/json",
    )
    assert api.status_code == 400


def test_a_username_with_a_growing_letter_signs_in(client, db):
    user = UserFactory(username="İlkay")
    MembershipFactory(user=user, role=Role.GROUP_CRM, company=None)
    response = client.post(LOGIN, {"username": "İLKAY", "password": PASSWORD})
    assert response.status_code == 302 and logged_in_user_id(client) == str(user.pk)
