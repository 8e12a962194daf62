"""Group administration from the product's own pages: companies, departments, staff
and roles. Forms keep what was typed and say what is wrong."""

import pytest
from django.urls import reverse

from accounts.models import User
from org.models import Company, Department, Membership, Role
from tests.factories import (
    BuildingFactory,
    CompanyFactory,
    GroupFactory,
    MembershipFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)

STRONG = "Lotus-harbour-2026"
GROUP_ONLY_PAGES = ["org:staff_list", "org:staff_create", "org:company_create"]


@pytest.fixture
def group_client(client, group_staff):
    client.force_login(group_staff)
    return client


@pytest.mark.parametrize("user_fixture", ["crm_a", "manager_a", "handler_a"])
@pytest.mark.parametrize("page", GROUP_ONLY_PAGES)
def test_group_administration_is_403_for_other_roles(request, client, user_fixture, page):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse(page))
    assert response.status_code == 403
    assert "Only group customer-relations staff may change this." in response.content.decode()


@pytest.mark.parametrize(
    "page", ["org:staff_detail", "org:staff_edit", "org:staff_history", "org:membership_grant"]
)
def test_staff_pages_are_403_for_company_staff(client, crm_a, handler_a, page):
    client.force_login(crm_a)
    assert client.get(reverse(page, args=[handler_a.pk])).status_code == 403


def test_company_staff_see_their_company_read_only(client, crm_a, world_a):
    client.force_login(crm_a)
    html = client.get(reverse("org:company_detail", args=[world_a.company.pk])).content.decode()
    assert reverse("org:company_edit", args=[world_a.company.pk]) not in html
    response = client.get(reverse("org:company_edit", args=[world_a.company.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("org:company_edit", args=[world_a.company.pk]),
        {"name": "x", "code": "x", "city": "x"},
    )
    assert response.status_code == 403
    world_a.company.refresh_from_db()
    assert world_a.company.name == "深圳万科"


# --- companies ---------------------------------------------------------------------


@pytest.mark.smoke
def test_group_staff_create_a_company_from_the_page(group_client):
    GroupFactory()
    response = group_client.post(
        reverse("org:company_create"),
        {"name": "广州万科", "code": "gz", "city": "广州", "hotline": "020-8888"},
    )
    company = Company.objects.get(code="gz")
    assert response.status_code == 302
    assert response.url == reverse("org:company_detail", args=[company.pk])


def test_company_form_keeps_input_and_names_the_duplicate(group_client, company_a):
    response = group_client.post(
        reverse("org:company_create"),
        {"name": "新公司名", "code": company_a.code, "city": "杭州", "address": "西湖区"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Company with this Code already exists." in html
    assert 'value="新公司名"' in html and 'value="西湖区"' in html
    assert not Company.objects.filter(name="新公司名").exists()


def test_company_form_missing_fields(group_client):
    response = group_client.post(reverse("org:company_create"), {"name": "只有名字"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"code", "city"}
    assert "This field is required." in response.content.decode()


def test_group_staff_edit_a_company(group_client, company_a):
    url = reverse("org:company_edit", args=[company_a.pk])
    assert group_client.get(url).context["form"].initial["name"] == "深圳万科"
    response = group_client.post(
        url,
        {"name": "深圳万科", "code": "sz", "city": "深圳", "hotline": "0755-1", "is_active": ""},
    )
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.hotline == "0755-1" and not company_a.is_active


def test_company_list_query_count_does_not_grow(group_client, django_assert_max_num_queries):
    for _ in range(30):
        ProjectFactory(company=CompanyFactory())
    with django_assert_max_num_queries(10):
        response = group_client.get(reverse("org:company_list"))
    assert len(response.context["page_obj"]) == 30


def test_company_detail_query_count(group_client, world_a, django_assert_max_num_queries):
    for _ in range(5):
        MembershipFactory(company=world_a.company, department=world_a.department)
        BuildingFactory(project=ProjectFactory(company=world_a.company))
    with django_assert_max_num_queries(12):
        response = group_client.get(reverse("org:company_detail", args=[world_a.company.pk]))
    assert response.status_code == 200


# --- departments -------------------------------------------------------------------


def test_department_add_and_edit(group_client, company_a):
    response = group_client.post(
        reverse("org:department_create", args=[company_a.pk]),
        {"kind": "engineering", "name": "工程管理部"},
    )
    assert response.status_code == 302
    department = Department.objects.get(company=company_a, name="工程管理部")
    response = group_client.post(
        reverse("org:department_edit", args=[department.pk]), {"kind": "engineering", "name": ""}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    group_client.post(
        reverse("org:department_edit", args=[department.pk]), {"kind": "design", "name": "设计部"}
    )
    department.refresh_from_db()
    assert (department.kind, department.name) == ("design", "设计部")


def test_department_add_is_403_for_company_staff(client, crm_a, company_a):
    client.force_login(crm_a)
    url = reverse("org:department_create", args=[company_a.pk])
    assert client.post(url, {"kind": "crm", "name": "新部门"}).status_code == 403
    assert not Department.objects.filter(name="新部门").exists()


# --- staff -------------------------------------------------------------------------


def test_staff_list_filters_and_search(group_client, crm_a, crm_b, handler_a, manager_a):
    url = reverse("org:staff_list")

    def names(query):
        return {u.username for u in group_client.get(url, query).context["page_obj"]}

    assert {"crm_a", "crm_b", "handler_a", "manager_a", "group_crm"} <= names({})
    a_id = crm_a.memberships.get().company_id
    assert names({"company": a_id}) == {"crm_a", "handler_a", "manager_a"}
    assert names({"company": a_id, "role": Role.HANDLER}) == {"handler_a"}
    assert names({"role": Role.COMPANY_CRM}) == {"crm_a", "crm_b"}
    assert names({"q": "crm_"}) == {"crm_a", "crm_b"}
    assert names({"q": crm_b.name}) >= {"crm_b"}
    assert names({"q": crm_b.mobile[-8:]}) == {"crm_b"}
    assert names({"q": crm_b.mobile[3:]}) == {"crm_b"}  # typed without +86
    assert names({"company": "999999", "role": "nope"}) >= {"crm_a", "crm_b"}  # ignored


def test_staff_list_is_paginated_with_few_queries(
    group_client, company_a, django_assert_max_num_queries
):
    for _ in range(60):
        MembershipFactory(company=company_a, role=Role.HANDLER)
    with django_assert_max_num_queries(10):
        response = group_client.get(reverse("org:staff_list"), {"company": company_a.pk})
    page = response.context["page_obj"]
    assert len(page) == 50 and page.paginator.count == 60
    html = response.content.decode()
    assert f"company={company_a.pk}&amp;page=2" in html
    assert len(group_client.get(reverse("org:staff_list"), {"page": 2}).context["page_obj"]) > 0


@pytest.mark.smoke
def test_group_staff_create_a_staff_member(group_client):
    response = group_client.post(
        reverse("org:staff_create"),
        {
            "username": "zhou.min",
            "name": "周敏",
            "mobile": "+86 139-0000-1111",
            "email": "zhou@example.com",
            "password": STRONG,
        },
    )
    user = User.objects.get(username="zhou.min")
    assert response.url == reverse("org:staff_detail", args=[user.pk])
    assert user.mobile == "+8613900001111" and user.check_password(STRONG)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mobile": "1234"}, "Enter a valid mainland China mobile number."),
        ({"username": "crm_a"}, "A user with that username already exists."),
        ({"password": "12345678"}, "This password is too common."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_staff_form_keeps_input_and_shows_the_message(group_client, crm_a, changes, message):
    data = {
        "username": "new.person",
        "name": "新同事",
        "mobile": "13900002222",
        "email": "new@example.com",
        "password": STRONG,
        **changes,
    }
    response = group_client.post(reverse("org:staff_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{data["username"]}"' in html
    assert f'value="{data["email"]}"' in html
    assert not User.objects.filter(username="new.person").exists()


def test_staff_edit_and_duplicate_mobile(group_client, crm_a, handler_a):
    url = reverse("org:staff_edit", args=[handler_a.pk])
    response = group_client.post(url, {"name": "新名字", "mobile": crm_a.mobile, "email": ""})
    assert response.status_code == 400
    assert "User with this Mobile already exists." in response.content.decode()
    response = group_client.post(url, {"name": "新名字", "mobile": "13811112222", "email": ""})
    assert response.status_code == 302
    handler_a.refresh_from_db()
    assert (handler_a.name, handler_a.mobile) == ("新名字", "+8613811112222")


def test_deactivate_and_reactivate_from_the_page(group_client, group_staff, handler_a):
    assert group_client.get(reverse("org:staff_deactivate", args=[handler_a.pk])).status_code == 405
    group_client.post(reverse("org:staff_deactivate", args=[handler_a.pk]))
    handler_a.refresh_from_db()
    assert not handler_a.is_active
    group_client.post(reverse("org:staff_activate", args=[handler_a.pk]))
    handler_a.refresh_from_db()
    assert handler_a.is_active
    response = group_client.post(
        reverse("org:staff_deactivate", args=[group_staff.pk]), follow=True
    )
    assert "You cannot deactivate your own account." in response.content.decode()


def test_deactivate_is_403_for_company_staff(client, crm_a, handler_a):
    client.force_login(crm_a)
    assert client.post(reverse("org:staff_deactivate", args=[handler_a.pk])).status_code == 403
    handler_a.refresh_from_db()
    assert handler_a.is_active


def test_unknown_staff_member_is_404(group_client, company_a):
    owner = UserFactory(kind=User.Kind.OWNER)
    assert group_client.get(reverse("org:staff_detail", args=[owner.pk])).status_code == 404
    assert group_client.get(reverse("org:staff_detail", args=[999999])).status_code == 404


# --- roles -------------------------------------------------------------------------


def test_grant_and_revoke_a_role_from_the_pages(group_client, world_a):
    person = UserFactory()
    response = group_client.post(
        reverse("org:membership_grant", args=[person.pk]),
        {"role": Role.HANDLER, "company": world_a.company.pk, "department": world_a.department.pk},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert membership.department == world_a.department
    detail = group_client.get(reverse("org:staff_detail", args=[person.pk])).content.decode()
    assert world_a.department.name in detail
    response = group_client.post(reverse("org:membership_revoke", args=[membership.pk]))
    assert response.url == reverse("org:staff_detail", args=[person.pk])
    membership.refresh_from_db()
    assert not membership.is_active


def test_grant_with_department_of_another_company_keeps_input(group_client, world_a, world_b):
    person = UserFactory()
    response = group_client.post(
        reverse("org:membership_grant", args=[person.pk]),
        {"role": Role.HANDLER, "company": world_a.company.pk, "department": world_b.department.pk},
    )
    assert response.status_code == 400
    assert "The department must belong to the company." in response.content.decode()
    assert response.context["form"]["company"].value() == str(world_a.company.pk)
    assert not Membership.objects.filter(user=person).exists()


def test_grant_without_company_for_a_company_role(group_client):
    person = UserFactory()
    response = group_client.post(
        reverse("org:membership_grant", args=[person.pk]), {"role": Role.MANAGER}
    )
    assert "Choose the company for this role." in response.content.decode()


def test_revoke_own_role_in_company_is_403_for_company_staff(client, crm_a, world_a):
    client.force_login(crm_a)
    response = client.post(reverse("org:membership_revoke", args=[world_a.membership.pk]))
    assert response.status_code == 403
    world_a.membership.refresh_from_db()
    assert world_a.membership.is_active


# --- places ------------------------------------------------------------------------


def test_project_and_building_pages(client, crm_a, world_a, django_assert_max_num_queries):
    client.force_login(crm_a)
    for i in range(60):
        UnitFactory(building=world_a.building, entrance="1", number=str(100 + i))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("org:project_detail", args=[world_a.project.pk]))
    assert response.context["buildings"][0].unit_count == 62
    with django_assert_max_num_queries(10):
        response = client.get(reverse("org:building_detail", args=[world_a.building.pk]))
    page = response.context["page_obj"]
    assert len(page) == 50 and page.paginator.count == 62
    second = client.get(reverse("org:building_detail", args=[world_a.building.pk]), {"page": 2})
    assert len(second.context["page_obj"]) == 12
    html = client.get(reverse("org:unit_detail", args=[world_a.unit.pk])).content.decode()
    assert world_a.unit.code in html
