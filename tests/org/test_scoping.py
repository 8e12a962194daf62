"""Acceptance 2, HTML side: a company-A user asking for any company-B record gets
404; no page lists company-B rows to them; group staff see both companies."""

import pytest
from django.urls import reverse

# (record, pages that show or change it)
PAGES = {
    "company": ["org:company_detail", "org:company_edit", "org:company_history"],
    "project": ["org:project_detail"],
    "building": ["org:building_detail"],
    "unit": ["org:unit_detail"],
    "department": ["org:department_detail", "org:department_edit"],
}
CASES = [(record, page) for record, pages in PAGES.items() for page in pages]
STAFF_OF_A = ["crm_a", "manager_a", "handler_a"]


@pytest.mark.parametrize("user_fixture", STAFF_OF_A)
@pytest.mark.parametrize(("record", "page"), CASES)
def test_company_a_staff_get_404_for_company_b_records(
    request, client, world_a, world_b, user_fixture, record, page
):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse(page, args=[world_b.record(record).pk]))
    assert response.status_code == 404
    assert world_b.company.name not in response.content.decode()


@pytest.mark.smoke
@pytest.mark.parametrize("record", list(PAGES))
def test_company_a_staff_open_their_own_records(client, crm_a, world_a, record):
    client.force_login(crm_a)
    page = PAGES[record][0]
    assert client.get(reverse(page, args=[world_a.record(record).pk])).status_code == 200


@pytest.mark.parametrize(("record", "page"), [c for c in CASES if not c[1].endswith("_edit")])
def test_group_staff_open_records_of_both_companies(
    client, group_staff, world_a, world_b, record, page
):
    client.force_login(group_staff)
    for world in (world_a, world_b):
        assert client.get(reverse(page, args=[world.record(record).pk])).status_code == 200


def test_company_a_staff_cannot_revoke_a_company_b_role(client, crm_a, world_b):
    client.force_login(crm_a)
    response = client.post(reverse("org:membership_revoke", args=[world_b.membership.pk]))
    assert response.status_code == 404
    world_b.membership.refresh_from_db()
    assert world_b.membership.is_active


def test_company_a_staff_cannot_revoke_a_group_role(client, crm_a, group_staff):
    client.force_login(crm_a)
    membership = group_staff.memberships.get()
    response = client.post(reverse("org:membership_revoke", args=[membership.pk]))
    assert response.status_code == 404


def test_company_a_staff_cannot_add_a_department_to_company_b(client, crm_a, world_b):
    client.force_login(crm_a)
    url = reverse("org:department_create", args=[world_b.company.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "crm", "name": "伪造部门"}).status_code == 404
    assert not world_b.company.departments.filter(name="伪造部门").exists()


@pytest.mark.parametrize("query", ["", "?page=2", "?company={b}", "?q=上海", "?search=上海"])
def test_company_list_shows_only_their_company(client, crm_a, world_a, world_b, query):
    client.force_login(crm_a)
    response = client.get(reverse("org:company_list") + query.format(b=world_b.company.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert world_b.company.name not in html
    assert [c.pk for c in response.context["page_obj"]] in ([world_a.company.pk], [])


def test_company_a_detail_shows_no_company_b_rows(client, crm_a, world_a, world_b):
    client.force_login(crm_a)
    html = client.get(reverse("org:company_detail", args=[world_a.company.pk])).content.decode()
    assert world_a.project.name in html
    assert world_a.department.name in html
    for text in (world_b.company.name, world_b.project.name, world_b.department.name):
        assert text not in html


def test_workbench_and_dashboard_count_only_their_company(
    client, crm_a, manager_a, world_a, world_b
):
    client.force_login(crm_a)
    companies = client.get(reverse("org:workbench")).context["companies"]
    assert [c.pk for c in companies] == [world_a.company.pk]
    client.force_login(manager_a)
    totals = client.get(reverse("org:dashboard")).context["totals"]
    assert totals["companies"] == 1
    assert totals["units"] == 2


@pytest.mark.smoke
def test_group_staff_see_both_companies(client, group_staff, world_a, world_b):
    client.force_login(group_staff)
    html = client.get(reverse("org:company_list")).content.decode()
    assert world_a.company.name in html and world_b.company.name in html
    cards = client.get(reverse("org:group_home")).context["companies"]
    assert {c.pk for c in cards} == {world_a.company.pk, world_b.company.pk}


# --- model-declared defaults (issue 8 item 3) -------------------------------------------


def test_models_declare_who_reads_them_by_default(company_a, crm_a, handler_a, manager_a):
    from customers.models import Customer, Tag
    from tests.customers.factories import CustomerFactory

    customer = CustomerFactory(company=company_a)
    tag = Tag.objects.create(company=company_a, name="VIP")
    for user in (crm_a, manager_a):
        assert list(Customer.objects.for_user(user)) == [customer]
        assert list(Tag.objects.for_user(user)) == [tag]
    # A handler of the same company reads no customer data, without any call site
    # having to say so; asking for any role explicitly still works.
    assert not Customer.objects.for_user(handler_a).exists()
    assert not Tag.objects.for_user(handler_a).exists()
    assert list(Customer.objects.for_user(handler_a, roles=None)) == [customer]


def test_a_model_can_narrow_what_some_users_see(company_a, crm_a, manager_a, monkeypatch):
    """The hook complaints' tasks use: a handler sees only what was sent to them."""
    from customers.models import Customer
    from tests.customers.factories import CustomerFactory

    mine = CustomerFactory(company=company_a, created_by=crm_a)
    CustomerFactory(company=company_a, created_by=manager_a)

    def only_own(queryset, user):
        return queryset.filter(created_by=user) if user == crm_a else queryset

    monkeypatch.setattr(Customer, "scope_for_user", staticmethod(only_own), raising=False)
    assert list(Customer.objects.for_user(crm_a)) == [mine]
    assert Customer.objects.for_user(manager_a).count() == 2
