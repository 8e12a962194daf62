"""Role homes: each role opens its own (group staff open all); others get a 403 page
that says why."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

HOMES = {
    "crm_a": "org:workbench",
    "manager_a": "org:dashboard",
    "handler_a": "org:my_tasks",
    "group_staff": "org:group_home",
}


@pytest.mark.smoke
@pytest.mark.parametrize(("user_fixture", "page"), HOMES.items())
def test_each_role_lands_on_and_opens_its_home(request, client, user_fixture, page):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("home")).url == reverse(page)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert response.context["title"]
    assert response.context["breadcrumbs"]


@pytest.mark.parametrize("user_fixture", ["crm_a", "manager_a", "handler_a"])
@pytest.mark.parametrize("page", HOMES.values())
def test_other_roles_homes_are_403_with_a_message(request, client, user_fixture, page):
    client.force_login(request.getfixturevalue(user_fixture))
    if HOMES[user_fixture] == page:
        return
    response = client.get(reverse(page))
    assert response.status_code == 403
    assert "This page is for another role." in response.content.decode()


@pytest.mark.parametrize("page", HOMES.values())
def test_group_staff_open_every_home(client, group_staff, page):
    client.force_login(group_staff)
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", HOMES.values())
def test_anonymous_is_sent_to_login(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_owner_and_roleless_staff_get_403(client, db):
    for user in (UserFactory(kind=User.Kind.OWNER), UserFactory()):
        client.force_login(user)
        response = client.get(reverse("org:workbench"))
        assert response.status_code == 403
        assert "These pages are for staff with a role." in response.content.decode()


def test_empty_states_say_later_issues_fill_them(client, crm_a, handler_a, manager_a):
    client.force_login(crm_a)
    html = client.get(reverse("org:workbench")).content.decode()
    assert "No complaints waiting." in html
    assert "No return visits due today." in html
    assert "No move-in appointments today." in html
    client.force_login(handler_a)
    assert (
        "No tasks have been sent to you yet."
        in client.get(reverse("org:my_tasks")).content.decode()
    )
    client.force_login(manager_a)
    assert "No survey results yet." in client.get(reverse("org:dashboard")).content.decode()


def test_group_home_counts_come_from_the_database(
    client, group_staff, world_a, world_b, django_assert_max_num_queries
):
    client.force_login(group_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("org:group_home"))
    cards = {c.pk: c for c in response.context["companies"]}
    card = cards[world_a.company.pk]
    assert (card.project_count, card.building_count, card.unit_count) == (1, 1, 2)
    assert card.staff_count == 1  # the handler of world_a
    assert response.context["totals"]["units"] == 4
