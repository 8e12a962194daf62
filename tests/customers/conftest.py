import pytest

from tests.factories import BuildingFactory, UnitFactory


@pytest.fixture
def unit_a(project_a):
    building = BuildingFactory(project=project_a, number="3")
    return UnitFactory(building=building, entrance="2", number="1201", code="3-2-1201")


@pytest.fixture
def unit_b(project_b):
    building = BuildingFactory(project=project_b, number="5")
    return UnitFactory(building=building, entrance="1", number="801", code="5-1-801")
