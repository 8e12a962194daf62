"""Audit trail: who changed what and when, on the record's History tab (acceptance 8)."""

import pytest
from django.urls import reverse

from audit.selectors import entries_from_records, history_for, history_for_staff
from org import services
from org.models import Department, Role
from tests.factories import DepartmentFactory, GroupFactory, UserFactory

STRONG = "Lotus-harbour-2026"


def _changes(entry):
    return {(c.field, c.old, c.new) for c in entry.changes}


@pytest.mark.smoke
def test_company_entries_newest_first_with_who_and_what(group_staff, company_a):
    services.company_update(by=group_staff, company=company_a, hotline="0755-1111")
    services.company_update(by=group_staff, company=company_a, is_active=False)
    entries = history_for(company_a)
    assert [e.action_code for e in entries] == ["~", "~", "+"]
    latest, hotline, created = entries
    assert latest.who == group_staff.display_name
    assert _changes(latest) == {("Active", "Yes", "No")}
    assert _changes(hotline) == {("Service hotline", "400-888-1234", "0755-1111")}
    assert created.who == "System"  # made by the factory, outside any request
    assert ("Name", "—", "深圳万科") in _changes(created)


def test_choices_show_labels_and_foreign_keys_show_names(group_staff, company_a):
    department = services.department_create(
        by=group_staff, company=company_a, kind=Department.Kind.CRM, name="客服部"
    )
    services.department_update(by=group_staff, department=department, kind="engineering")
    changed, created = history_for(department)
    assert _changes(changed) == {("Kind", "Customer relations", "Engineering")}
    assert ("Company", "—", "深圳万科") in _changes(created)


def test_saves_without_changes_are_left_out(group_staff, company_a):
    services.company_update(by=group_staff, company=company_a, city=company_a.city)
    assert [e.action_code for e in history_for(company_a)] == ["+"]


def test_deleted_records_are_listed(group_staff, company_a):
    department = DepartmentFactory(company=company_a)
    pk = department.pk
    department.delete()
    records = Department.history.filter(id=pk)
    assert [e.action for e in entries_from_records(records)] == ["deleted", "created"]


def test_staff_history_merges_account_and_roles(group_staff, world_a):
    person = services.staff_create(
        by=group_staff, username="wu.lei", name="吴磊", mobile="13900003333", password=STRONG
    )
    services.staff_update(by=group_staff, user=person, mobile="13900004444")
    membership = services.membership_grant(
        by=group_staff, user=person, role=Role.HANDLER, company=world_a.company
    )
    services.membership_update(by=group_staff, membership=membership, department=world_a.department)
    services.membership_revoke(by=group_staff, membership=membership)

    entries = history_for_staff(person)
    assert [e.action_code for e in entries] == ["~", "~", "+", "~", "+"]
    revoked, moved, granted, mobile, created = entries
    assert all(e.who == group_staff.display_name for e in entries)
    assert revoked.subject == "Role: Handler · 深圳万科"
    assert _changes(revoked) == {("Active", "Yes", "No")}
    assert _changes(moved) == {("Department", "—", str(world_a.department))}
    assert ("Role", "—", "Handler") in _changes(granted)
    assert mobile.subject == "Account"
    assert _changes(mobile) == {("Mobile", "+8613900003333", "+8613900004444")}
    assert ("Username", "—", "wu.lei") in _changes(created)


def test_history_queries_do_not_grow_with_entries(
    group_staff, company_a, django_assert_max_num_queries
):
    departments = [DepartmentFactory(company=company_a) for _ in range(3)]
    person = UserFactory()
    for department in departments:
        m = services.membership_grant(
            by=group_staff, user=person, role=Role.HANDLER, company=company_a, department=department
        )
        services.membership_revoke(by=group_staff, membership=m)
    for i in range(10):
        services.staff_update(by=group_staff, user=person, name=f"名字{i}")
    with django_assert_max_num_queries(8):
        entries = history_for_staff(person)
    assert len(entries) == 1 + 10 + 6


# --- through the pages (acceptance 8) ----------------------------------------------


def test_history_tab_shows_who_changed_a_company_and_what(client, group_staff, company_a):
    client.force_login(group_staff)
    client.post(
        reverse("org:company_edit", args=[company_a.pk]),
        {
            "name": "深圳万科",
            "code": "sz",
            "city": "深圳",
            "hotline": "0755-9999",
            "is_active": "on",
        },
    )
    detail = client.get(reverse("org:company_detail", args=[company_a.pk])).content.decode()
    assert reverse("org:company_history", args=[company_a.pk]) in detail  # the tab
    response = client.get(reverse("org:company_history", args=[company_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert group_staff.display_name in html
    assert "Service hotline" in html and "400-888-1234" in html and "0755-9999" in html
    assert "changed" in html


def test_history_tab_is_an_htmx_partial(client, group_staff, company_a):
    client.force_login(group_staff)
    services.company_update(by=group_staff, company=company_a, hotline="1")
    response = client.get(
        reverse("org:company_history", args=[company_a.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'id="tab-area"' in html and "<html" not in html
    assert html.count('data-testid="history-entry"') == 2


def test_company_staff_read_their_company_history(client, crm_a, group_staff, company_a):
    services.company_update(by=group_staff, company=company_a, address="盐田区大梅沙")
    client.force_login(crm_a)
    html = client.get(reverse("org:company_history", args=[company_a.pk])).content.decode()
    assert "盐田区大梅沙" in html and group_staff.display_name in html


def test_history_tab_shows_who_changed_a_staff_member_and_what(client, group_staff, world_a):
    GroupFactory()
    client.force_login(group_staff)
    person = UserFactory(username="liu.yang", name="刘洋", mobile="+8613900005555")
    client.post(
        reverse("org:staff_edit", args=[person.pk]),
        {"name": "刘洋", "mobile": "13900006666", "email": ""},
    )
    client.post(
        reverse("org:membership_grant", args=[person.pk]),
        {"role": Role.MANAGER, "company": world_a.company.pk},
    )
    html = client.get(reverse("org:staff_history", args=[person.pk])).content.decode()
    assert html.count('data-testid="history-entry"') == 3
    assert group_staff.display_name in html
    assert "+8613900005555" in html and "+8613900006666" in html
    assert "Role: Manager · 深圳万科" in html


def test_empty_history_has_an_empty_state(client, group_staff, db):
    client.force_login(group_staff)
    person = UserFactory()
    person.history.all().delete()
    html = client.get(reverse("org:staff_history", args=[person.pk])).content.decode()
    assert "No changes have been recorded yet." in html
