"""Issue 8: the 6+2 overview took ~6.7 s for group staff (21,800 customers). It
aggregates in the database: its query count does not grow with the projects, the
customers or the companies, and group staff see every company's figures."""

import pytest
from django.urls import reverse

from customers.models import Customer, LifecycleStep
from customers.services import visit_register
from tests.customers.factories import CustomerFactory, OwnershipFactory
from tests.factories import BuildingFactory, CompanyFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _company_with_customers(code, projects=3, owners=2, visitors=2):
    company = CompanyFactory(name=f"{code}万科", code=code)
    made = []
    for p in range(projects):
        project = ProjectFactory(company=company, name=f"{code}项目{p}", code=f"{code}-p{p}")
        building = BuildingFactory(project=project)
        for _o in range(owners):
            customer = CustomerFactory(company=company, step=LifecycleStep.SIGNING)
            OwnershipFactory(customer=customer, unit=UnitFactory(building=building))
        made.append((project, visitors))
    return company, made


def _visit_all(made, by, prefix):
    for index, (project, visitors) in enumerate(made):
        for v in range(visitors):
            visit_register(
                project=project, by=by, name=f"访客{v}", mobile=f"{prefix}{index:02d}{v:04d}"
            )


def _page(client, user):
    response = client.get(reverse("customers:lifecycle"))
    assert response.status_code == 200
    return response


def test_lifecycle_page_for_group_staff_costs_at_most_ten_queries(
    client, group_staff, django_assert_max_num_queries
):
    _company, made = _company_with_customers("sz")
    _visit_all(made, group_staff, "13800")
    client.force_login(group_staff)
    _page(client, group_staff)  # warm the session and the settings cache
    with django_assert_max_num_queries(10):
        first = _page(client, group_staff)
    assert first.context["rows"]

    # Twice the companies, projects and customers: the same number of queries.
    _other, more = _company_with_customers("sh", projects=5, owners=4)
    _visit_all(more, group_staff, "13900")
    with django_assert_max_num_queries(10):
        second = _page(client, group_staff)
    companies = {row["project"].company.code for row in second.context["rows"]}
    assert companies == {"sz", "sh"}


def test_lifecycle_page_counts_owners_and_visitors_per_project_and_step(client, group_staff):
    _company, made = _company_with_customers("sz", projects=2, owners=3, visitors=2)
    _visit_all(made, group_staff, "13700")
    client.force_login(group_staff)
    rows = {row["project"].code: row for row in _page(client, group_staff).context["rows"]}
    for code in ("sz-p0", "sz-p1"):
        cells = {cell["step"]: cell["customers"] for cell in rows[code]["cells"]}
        assert cells[LifecycleStep.SIGNING] == 3
        assert cells[LifecycleStep.VIEWING] == 2
    assert Customer.objects.count() == 10
