import pytest
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"


def post(client, **data):
    return client.post(TOKEN_URL, data, content_type="application/json")


@pytest.mark.smoke
def test_staff_gets_a_token(client, crm_a):
    response = post(client, username="crm_a", password=PASSWORD)
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=crm_a).key}
    # the same token on the next call
    assert post(client, username="crm_a", password=PASSWORD).json() == response.json()


def test_staff_gets_a_token_with_mobile(client, crm_a):
    response = post(client, username=crm_a.mobile[3:], password=PASSWORD)
    assert response.status_code == 200


def test_wrong_password_is_a_400_with_message(client, crm_a):
    response = post(client, username="crm_a", password="wrong")
    assert response.status_code == 400
    assert "do not match" in response.json()["detail"]
    assert not Token.objects.exists()


def test_missing_field_is_a_400(client, db):
    response = post(client, username="crm_a")
    assert response.status_code == 400
    assert "password" in response.json()


def test_malformed_json_is_a_400(client, db):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_owner_is_refused_with_403(client, db):
    owner = UserFactory(kind=User.Kind.OWNER)
    response = post(client, username=owner.username, password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["detail"] == "Owner accounts cannot use the staff API."
    assert not Token.objects.exists()


def test_get_is_not_allowed(client, db):
    assert client.get(TOKEN_URL).status_code == 405


def test_failures_lock_the_token_endpoint_with_json_429(client, crm_a):
    for i in range(6):
        response = post(client, username="crm_a", password=f"wrong{i}")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    response = post(client, username="crm_a", password=PASSWORD)
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_api_failures_and_sign_in_page_share_the_lock(client, crm_a):
    for i in range(6):
        post(client, username="crm_a", password=f"wrong{i}")
    response = client.post("/accounts/login/", {"username": "crm_a", "password": PASSWORD})
    assert response.status_code == 429
