"""Issue 8: the 6+2 overview and the manager's dashboard show charts fed by JSON
endpoints that aggregate in the database, scoped to the user."""

import pytest
from django.urls import reverse

from customers.models import LifecycleStep
from customers.services import visit_register
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _charts(client, user, name):
    client.force_login(user)
    response = client.get(reverse(f"customers:{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["charts"]


def _visits(project, by, n, prefix="1380013"):
    for i in range(n):
        visit_register(project=project, by=by, name=f"客户{i}", mobile=f"{prefix}{i:04d}")


def test_dashboard_charts_count_this_weeks_visits_and_customers_per_step(
    client, project_a, project_b, crm_a, crm_b, manager_a
):
    _visits(project_a, crm_a, 3)
    _visits(project_b, crm_b, 2, prefix="1390013")  # another company: not counted
    charts = _charts(client, manager_a, "dashboard_charts")
    visits = charts["visits"]
    assert len(visits["categories"]) == 12
    assert visits["series"][0]["data"][-1] == 3 and sum(visits["series"][0]["data"]) == 3
    steps = charts["steps"]
    assert len(steps["categories"]) == len(LifecycleStep.values)
    assert steps["series"][0]["data"][0] == 3  # three prospects at step 1
    assert sum(steps["series"][0]["data"]) == 3


def test_lifecycle_charts_per_project_and_work_points(client, project_a, crm_a):
    other = ProjectFactory(company=project_a.company, name="万科里", code="sz-wkl")
    _visits(project_a, crm_a, 2)
    _visits(other, crm_a, 1, prefix="1370013")
    charts = _charts(client, crm_a, "lifecycle_charts")
    steps = charts["steps"]
    assert set(steps["categories"]) == {project_a.name, other.name}
    viewing = steps["series"][0]
    assert viewing["stack"] == "customers"
    by_project = dict(zip(steps["categories"], viewing["data"], strict=True))
    assert by_project == {project_a.name: 2, other.name: 1}
    done, expected = charts["workpoints"]["series"]
    # step 1's three work points are ticked for every visitor
    assert done["data"][0] == expected["data"][0] == 9


def test_chart_data_is_refused_to_roles_that_do_not_read_customers(client, handler_a):
    client.force_login(handler_a)
    for name in ("dashboard_charts", "lifecycle_charts"):
        assert client.get(reverse(f"customers:{name}")).status_code == 403


def test_chart_data_needs_a_signed_in_user(client):
    response = client.get(reverse("customers:dashboard_charts"))
    assert response.status_code == 302


def test_dashboard_chart_query_count_is_flat(
    client, project_a, crm_a, manager_a, django_assert_max_num_queries
):
    _visits(project_a, crm_a, 5)
    client.force_login(manager_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("customers:dashboard_charts")).status_code == 200
    _visits(project_a, crm_a, 20, prefix="1370013")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("customers:dashboard_charts")).status_code == 200


def test_lifecycle_chart_query_count_does_not_grow_with_projects(
    client, company_a, crm_a, django_assert_max_num_queries
):
    for i in range(6):
        ProjectFactory(company=company_a, name=f"项目{i}", code=f"sz-p{i}")
    client.force_login(crm_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("customers:lifecycle_charts")).status_code == 200


def test_pages_carry_the_charts_with_their_titles(client, project_a, crm_a, manager_a):
    client.force_login(manager_a)
    page = client.get(reverse("org:dashboard")).content.decode()
    assert reverse("customers:dashboard_charts") in page
    assert 'role="img"' in page and "data-chart-table" in page
    assert "<script>" not in page  # chart code is a static file (CSP nonces)
    client.force_login(crm_a)
    page = client.get(reverse("customers:lifecycle")).content.decode()
    assert reverse("customers:lifecycle_charts") in page
    assert "js/charts" in page and "vendor/echarts" in page
