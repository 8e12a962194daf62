"""A small organisation per company (project, building, units, department, staff),
shared by the org, audit and API tests through their conftest files."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from org.models import Building, Company, Department, Membership, Project, Role, Unit
from tests.factories import BuildingFactory, DepartmentFactory, MembershipFactory, UnitFactory


@dataclass
class World:
    company: Company
    project: Project
    building: Building
    unit: Unit
    department: Department
    membership: Membership

    def record(self, model_name: str):
        return getattr(self, model_name)


def make_world(company, project, *, number="3", dept_name="客户关系中心") -> World:
    building = BuildingFactory(project=project, number=number)
    units = [UnitFactory(building=building, entrance="2", number=str(1200 + i)) for i in (1, 2)]
    department = DepartmentFactory(company=company, name=dept_name)
    membership = MembershipFactory(company=company, role=Role.HANDLER, department=department)
    return World(company, project, building, units[0], department, membership)


@pytest.fixture
def world_a(company_a, project_a):
    return make_world(company_a, project_a, number="3", dept_name="深圳客户关系中心")


@pytest.fixture
def world_b(company_b, project_b):
    return make_world(company_b, project_b, number="7", dept_name="上海客户关系中心")


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read English messages, whatever the default language (autouse in
    every directory whose conftest imports it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
