"""Fixtures of the complaints tests: an engineering department and two of its handlers."""

import pytest

from org.models import Department, Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def engineering(company_a):
    return Department.objects.create(company=company_a, kind="engineering", name="工程部")


@pytest.fixture
def engineer(company_a, engineering):
    user = UserFactory(username="engineer_a", name="李工")
    MembershipFactory(user=user, company=company_a, role=Role.HANDLER, department=engineering)
    return user


@pytest.fixture
def other_engineer(company_a, engineering):
    user = UserFactory(username="engineer_b", name="王工")
    MembershipFactory(user=user, company=company_a, role=Role.HANDLER, department=engineering)
    return user
