"""The world every form and serializer is submitted in: a company with a project,
its staff, a customer, an owner account and one record of each kind to edit."""

import pytest
from django.utils import timezone

from accounts.models import User
from customers.models import RiskItem
from customers.services import disclosure
from customers.services.segments import segment_create
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import PASSWORD, BuildingFactory, make_staff

from .submitters import World


@pytest.fixture
def world(company_a, project_a, group_staff, crm_a):
    today = timezone.localdate()
    owner = User.objects.create_user(
        username="owner_long", mobile="+8613912340001", kind=User.Kind.OWNER, password=PASSWORD
    )
    return World(
        company=company_a,
        project=project_a,
        building=BuildingFactory(project=project_a, number="9"),
        group=group_staff,
        crm=crm_a,
        customer=CustomerFactory(company=company_a, id_number=""),
        department=Department.objects.create(company=company_a, kind="crm", name="客户关系部"),
        person=make_staff(Role.HANDLER, company_a, username="handler_long"),
        owner=owner,
        risk=disclosure.risk_item_create(
            project=project_a,
            by=crm_a,
            kind=RiskItem.Kind.ROAD,
            inside_site=False,
            title="高架路",
            distance_m=300,
            description="项目北侧有高架路。",
        ),
        milestone=disclosure.milestone_create(
            project=project_a, by=crm_a, date=today, title="主体封顶", percent=60
        ),
        segment=segment_create(company=company_a, name="全部客户", filters={}, by=crm_a),
    )
