"""Issue 8: the segment list ran one count query per row. Its counts come from one
query whatever the number of segments, and equal what each segment selects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer, LifecycleStep, Tag
from customers.services import ownership_create
from customers.services.segments import segment_counts, segment_create, segment_customers
from tests.factories import ProjectFactory

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(company_a, company_b, unit_a, crm_a):
    vip = Tag.objects.create(company=company_a, name="VIP")
    owner = CustomerFactory(
        company=company_a, name="甲", kind=Customer.Kind.OWNER, marketing_consent=True
    )
    owner.tags.add(vip)
    ownership_create(customer=owner, unit=unit_a, by=crm_a, subscribed_on="2025-01-06")
    CustomerFactory(company=company_a, name="乙", kind=Customer.Kind.OWNER)
    CustomerFactory(company=company_a, name="丙", step=LifecycleStep.VIEWING)
    CustomerFactory(company=company_b, name="丁", kind=Customer.Kind.OWNER)
    return {"vip": vip, "project": unit_a.building.project}


FILTERS = [
    {},
    {"kind": ["owner"]},
    {"step": [LifecycleStep.VIEWING]},
    {"marketing_consent": True},
    {"q": "甲"},
    {"source": "walk_in"},
]


def _segments(company, by, people, n):
    made = []
    for i in range(n):
        filters = dict(FILTERS[i % len(FILTERS)])
        if i % 3 == 1:
            filters["tags"] = [people["vip"].pk]
        if i % 4 == 2:
            filters["project"] = people["project"].pk
        made.append(segment_create(company=company, name=f"分群{i}", filters=filters, by=by))
    return made


def test_counts_equal_what_each_segment_selects(crm_a, group_staff, company_a, people):
    made = _segments(company_a, crm_a, people, 8)
    for user in (crm_a, group_staff):
        counts = segment_counts(user, made)
        assert counts == {s.pk: segment_customers(user, s).count() for s in made}
    assert any(counts.values()) and len(set(counts.values())) > 1


def test_segment_list_query_count_is_flat_in_the_number_of_segments(
    client, crm_a, company_a, people
):
    _segments(company_a, crm_a, people, 2)
    client.force_login(crm_a)
    client.get(reverse("customers:segment_list"))  # warm the session
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("customers:segment_list")).status_code == 200
    for i in range(10):
        segment_create(company=company_a, name=f"更多{i}", filters=FILTERS[i % 6], by=crm_a)
    with CaptureQueriesContext(connection) as twelve:
        response = client.get(reverse("customers:segment_list"))
    assert response.content.decode().count('data-testid="segment-row"') == 12
    assert len(twelve.captured_queries) == len(two.captured_queries)


def test_a_segment_naming_a_project_out_of_sight_counts_zero(crm_a, company_a, people):
    other = ProjectFactory(company=company_a, name="新项目", code="sz-new")
    segment = segment_create(
        company=company_a, name="新项目", filters={"project": other.pk}, by=crm_a
    )
    other.delete()
    assert segment_counts(crm_a, [segment]) == {segment.pk: 0}
    assert segment_counts(crm_a, []) == {}
