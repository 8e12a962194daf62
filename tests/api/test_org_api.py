"""Organisation API: scoping (acceptance 2), filters, and writes for group staff only."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from org.models import Company, Membership, Role, Unit
from tests.factories import GroupFactory, UnitFactory, UserFactory

RECORDS = ["company", "project", "building", "unit", "department", "membership"]
STAFF_OF_A = ["crm_a", "manager_a", "handler_a"]


def detail(record, pk):
    return reverse(f"{record}-detail", args=[pk])


def listing(record):
    return reverse(f"{record}-list")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("user_fixture", STAFF_OF_A)
@pytest.mark.parametrize("record", RECORDS)
def test_company_a_staff_get_404_for_company_b_records(
    request, client, world_a, world_b, user_fixture, record
):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(detail(record, world_b.record(record).pk))
    assert response.status_code == 404
    assert client.get(detail(record, world_a.record(record).pk)).status_code == 200


@pytest.mark.smoke
@pytest.mark.parametrize("record", RECORDS)
def test_group_staff_read_records_of_both_companies(client, group_staff, world_a, world_b, record):
    client.force_login(group_staff)
    for world in (world_a, world_b):
        assert client.get(detail(record, world.record(record).pk)).status_code == 200
    assert {world_a.record(record).pk, world_b.record(record).pk} <= ids(
        client.get(listing(record))
    )


def _hostile_queries(world_b):
    """Every filter and search a company-A user could try to reach company B."""
    return [
        {},
        {"company": world_b.company.pk},
        {"project": world_b.project.pk},
        {"building": world_b.building.pk},
        {"department": world_b.department.pk},
        {"user": world_b.membership.user_id},
        {"code": world_b.unit.code},
        {"code_contains": world_b.unit.code[:3]},
        {"search": world_b.company.name},
        {"search": world_b.project.name},
        {"search": world_b.unit.code},
        {"search": world_b.department.name},
        {"search": world_b.membership.user.username},
        {"city": world_b.company.city},
        {"company": world_b.company.pk, "page_size": 200, "ordering": "-id"},
    ]


@pytest.mark.parametrize("record", RECORDS)
def test_no_list_or_filter_returns_company_b_rows(client, crm_a, world_a, world_b, record):
    client.force_login(crm_a)
    b_pk = world_b.record(record).pk
    for query in _hostile_queries(world_b):
        response = client.get(listing(record), query)
        assert response.status_code in (200, 400), (query, response.status_code)
        if response.status_code == 200:
            assert b_pk not in ids(response), query
        else:  # another company's id is "not a valid choice", like a missing id
            assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("user_fixture", STAFF_OF_A)
def test_every_list_has_only_company_a_rows(request, client, world_a, world_b, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert ids(client.get(listing("company"))) == {world_a.company.pk}
    assert ids(client.get(listing("project"))) == {world_a.project.pk}
    assert ids(client.get(listing("building"))) == {world_a.building.pk}
    assert len(ids(client.get(listing("unit")))) == 2
    assert ids(client.get(listing("department"))) == {world_a.department.pk}
    memberships = Membership.objects.filter(company=world_a.company).values_list("pk", flat=True)
    assert ids(client.get(listing("membership"))) == set(memberships)


def test_anonymous_and_owners_are_refused(client, world_a):
    assert client.get(listing("company")).status_code in (401, 403)
    client.force_login(UserFactory(kind=User.Kind.OWNER))
    assert client.get(listing("unit")).status_code == 403


def test_token_authentication(client, crm_a, world_a):
    token = Token.objects.create(user=crm_a)
    response = client.get(listing("unit"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert len(ids(response)) == 2


# --- filters -----------------------------------------------------------------------


def test_unit_filters(client, group_staff, world_a, world_b):
    client.force_login(group_staff)
    extra = UnitFactory(building=world_a.building, entrance="1", number="901", floor=9)
    units_a = set(Unit.objects.filter(building=world_a.building).values_list("pk", flat=True))
    units_b = set(Unit.objects.filter(building=world_b.building).values_list("pk", flat=True))
    assert extra.pk in units_a and len(units_b) == 2
    assert ids(client.get(listing("unit"), {"project": world_a.project.pk})) == units_a
    assert ids(client.get(listing("unit"), {"building": world_b.building.pk})) == units_b
    assert ids(client.get(listing("unit"), {"code": "3-1-901"})) == {extra.pk}
    assert ids(client.get(listing("unit"), {"floor": 9})) == {extra.pk}
    assert ids(client.get(listing("unit"), {"company": world_b.company.pk})) == units_b
    row = client.get(detail("unit", extra.pk)).json()
    assert row["project"] == world_a.project.pk and row["code"] == "3-1-901"


def test_project_and_membership_filters(client, group_staff, crm_a, handler_a, world_a, world_b):
    client.force_login(group_staff)
    assert ids(client.get(listing("project"), {"company": world_b.company.pk})) == {
        world_b.project.pk
    }
    by_role = ids(
        client.get(listing("membership"), {"company": world_a.company.pk, "role": Role.HANDLER})
    )
    assert by_role == {handler_a.memberships.get().pk, world_a.membership.pk}
    assert client.get(listing("membership"), {"role": "boss"}).status_code == 400


def test_list_query_counts(client, crm_a, world_a, django_assert_max_num_queries):
    for i in range(40):
        UnitFactory(building=world_a.building, entrance="9", number=str(i))
    client.force_login(crm_a)
    for record in RECORDS:
        with django_assert_max_num_queries(8):
            assert client.get(listing(record)).status_code == 200


# --- writes ------------------------------------------------------------------------


COMPANY = {"name": "广州万科", "code": "gz", "city": "广州", "hotline": "020-1"}


@pytest.mark.smoke
def test_group_staff_create_and_update_a_company(client, group_staff):
    GroupFactory()
    client.force_login(group_staff)
    response = client.post(listing("company"), COMPANY, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(
        detail("company", pk), {"city": "广州市"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["city"] == "广州市"
    assert Company.objects.get(pk=pk).history.first().history_user == group_staff


@pytest.mark.parametrize("user_fixture", STAFF_OF_A)
def test_only_group_staff_write_companies(request, client, world_a, world_b, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.post(listing("company"), COMPANY, content_type="application/json")
    assert response.status_code == 403
    assert "Only group customer-relations staff" in response.json()["detail"]
    own = client.patch(
        detail("company", world_a.company.pk), {"city": "x"}, content_type="application/json"
    )
    assert own.status_code == 403
    other = client.patch(
        detail("company", world_b.company.pk), {"city": "x"}, content_type="application/json"
    )
    assert other.status_code == 404
    assert client.delete(detail("company", world_a.company.pk)).status_code == 405


def test_malformed_company_payload_is_400_with_messages(client, group_staff, company_a):
    client.force_login(group_staff)
    response = client.post(
        listing("company"), {"name": "", "code": company_a.code}, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"name", "code", "city"} <= errors.keys()
    bad_json = client.post(listing("company"), "{not json", content_type="application/json")
    assert bad_json.status_code == 400


def test_group_staff_grant_update_and_revoke_roles(client, group_staff, world_a, world_b):
    client.force_login(group_staff)
    person = UserFactory()
    payload = {"user": person.pk, "role": Role.HANDLER, "company": world_a.company.pk}
    response = client.post(listing("membership"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["role_display"] == "Handler" and data["is_active"]
    url = detail("membership", data["id"])
    moved = client.patch(
        url, {"department": world_a.department.pk}, content_type="application/json"
    )
    assert moved.json()["department"] == world_a.department.pk
    wrong = client.patch(
        url, {"department": world_b.department.pk}, content_type="application/json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["department"] == ["The department must belong to the company."]
    revoked = client.patch(url, {"is_active": False}, content_type="application/json")
    assert revoked.json()["is_active"] is False
    again = client.patch(url, {"is_active": True}, content_type="application/json")
    assert again.json()["is_active"] is True
    duplicate = client.post(listing("membership"), payload, content_type="application/json")
    assert duplicate.status_code == 400
    assert "already has this role" in duplicate.content.decode()


def test_only_group_staff_write_memberships(client, crm_a, world_a, world_b):
    client.force_login(crm_a)
    payload = {"user": UserFactory().pk, "role": Role.HANDLER, "company": world_a.company.pk}
    assert (
        client.post(listing("membership"), payload, content_type="application/json").status_code
        == 403
    )
    own = client.patch(
        detail("membership", world_a.membership.pk),
        {"is_active": False},
        content_type="application/json",
    )
    assert own.status_code == 403
    other = client.patch(
        detail("membership", world_b.membership.pk),
        {"is_active": False},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert Membership.objects.filter(is_active=False).count() == 0


def test_read_only_resources_refuse_writes(client, group_staff, world_a):
    client.force_login(group_staff)
    for record in ("project", "building", "unit", "department"):
        assert client.post(listing(record), {}, content_type="application/json").status_code == 405
