"""GET /api/v1/settings/: every registered setting with the value that applies, its
source and bounds, scoped like any record (decision 0018)."""

import pytest
from rest_framework.test import APIClient

from org.models import Role
from org.services import setting_set
from tests.factories import MembershipFactory, make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/"
WINDOW = "cancellation_window_days"


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def by_key(response):
    assert response.status_code == 200, response.content
    return {row["key"]: row for row in response.json()}


def test_company_staff_read_their_own_company_with_value_source_and_bounds(
    crm_a, company_a, group_staff
):
    setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)
    rows = by_key(api(crm_a).get(URL))
    window = rows[WINDOW]
    assert window["company"] == company_a.pk
    assert (window["value"], window["source"], window["display"]) == (7, "company", "7 days")
    assert (window["minimum"], window["maximum"], window["unit"]) == (1, 30, "days")
    assert window["company_may_override"] is True and window["bounds"] == "From 1 day to 30 days."
    warranty = rows["warranty_years"]
    assert (warranty["value"], warranty["source"]) == (2, "default")
    assert "statutory minimum" in warranty["minimum_reason"]


def test_a_handler_reads_the_settings_of_their_company_too(handler_a, company_a):
    rows = by_key(api(handler_a).get(URL))
    assert rows[WINDOW]["company"] == company_a.pk and rows[WINDOW]["value"] == 3


def test_group_staff_read_the_group_defaults_or_any_company(
    group_staff, crm_b, company_a, company_b
):
    setting_set(company=None, key=WINDOW, value=5, by=group_staff)
    setting_set(company=company_b, key=WINDOW, value=9, by=crm_b)
    group = by_key(api(group_staff).get(URL))[WINDOW]
    assert (group["company"], group["value"], group["source"]) == (None, 5, "group")
    other = by_key(api(group_staff).get(URL, {"company": company_b.pk}))[WINDOW]
    assert (other["company"], other["value"], other["source"]) == (company_b.pk, 9, "company")
    inherits = by_key(api(group_staff).get(URL, {"company": company_a.pk}))[WINDOW]
    assert (inherits["value"], inherits["source"]) == (5, "group")


def test_another_companys_id_is_not_found(crm_a, company_b):
    response = api(crm_a).get(URL, {"company": company_b.pk})
    assert response.status_code == 404 and response.json()["detail"]


def test_staff_of_two_companies_choose_one_of_theirs(company_a, company_b):
    both = make_staff(Role.COMPANY_CRM, company_a, username="both")
    MembershipFactory(user=both, role=Role.MANAGER, company=company_b)
    chosen = by_key(api(both).get(URL, {"company": company_b.pk}))[WINDOW]
    assert chosen["company"] == company_b.pk
    first = by_key(api(both).get(URL))[WINDOW]  # without one: the first by code
    assert first["company"] == min((company_a, company_b), key=lambda c: c.code).pk


def test_a_bad_company_is_refused_in_the_users_language(crm_a):
    response = api(crm_a, "zh-hans").get(URL, {"company": "深圳"})
    assert response.status_code == 400
    assert response.json()["company"] == ["请填写合法的整数值。"]


def test_labels_follow_the_language(crm_a):
    window = by_key(api(crm_a, "zh-hans").get(URL))[WINDOW]
    assert window["display"] == "3 天" and window["source_label"] == "系统默认"


def test_only_signed_in_staff_read_the_settings(company_a):
    assert APIClient().get(URL).status_code in (401, 403)
    assert APIClient().get("/api/v1/").json()["endpoints"]["setting"].endswith(URL)


def test_the_settings_are_readable_only(crm_a):
    assert api(crm_a).post(URL, {"key": WINDOW, "value": 9}).status_code == 405


def test_the_admin_lists_the_stored_settings_without_changing_them(company_a, crm_a, client):
    from accounts.models import User

    setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)
    admin = User.objects.create_superuser(username="root", password="x-Long-enough-9")
    client.force_login(admin)
    listing = client.get("/admin/org/companysetting/")
    assert listing.status_code == 200 and WINDOW in listing.content.decode()
    assert client.get("/admin/org/companysetting/add/").status_code == 403
