"""Issue 3, acceptance 1: each demo staff login lands on its role's home page."""

import pytest
from django.urls import reverse

from demo.people import DEMO_PASSWORD, demo_logins
from demo.registry import SeedContext
from org import demo as org_demo

HOME_OF = {
    "group_crm": "org:group_home",
    "crm": "org:workbench",
    "engineer": "org:my_tasks",
    "property": "org:my_tasks",
    "contractor": "org:my_tasks",
    "manager": "org:dashboard",
}


@pytest.mark.django_db
def test_every_demo_login_lands_on_its_role_home(client):
    org_demo.seed(SeedContext())
    logins = demo_logins()
    assert len(logins) == 16
    for username, _name, _what in logins:
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": DEMO_PASSWORD},
            follow=True,
        )
        role = "group_crm" if username == "group_crm" else username.split("_", 1)[1]
        assert response.status_code == 200, username
        assert response.request["PATH_INFO"] == reverse(HOME_OF[role]), username
        client.post(reverse("accounts:logout"))
