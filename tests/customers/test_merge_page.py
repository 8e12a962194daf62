"""Issue 8: the duplicate report lists a pair once with every reason; the merge page
compares both records side by side, the user chooses the survivor and each differing
value (validated by the service); ID numbers are never compared for staff who may not
reveal them (docs/decisions/0012)."""

import datetime

import pytest
from django.urls import reverse

from customers.models import Ownership
from customers.services import customer_merge, ownership_create
from customers.validators import make_id_number
from tests.factories import UnitFactory
from vanke_crm.errors import InvalidInput

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

NUMBER_A = make_id_number("44030519850314123")
NUMBER_B = make_id_number("44030519860415345")


@pytest.fixture
def pair(company_a, project_a, crm_a):
    """The same person typed twice: same mobile, similar names at the same unit."""
    a = CustomerFactory(
        company=company_a,
        name="张三",
        mobile="+8613800138000",
        occupation="教师",
        id_number=NUMBER_A,
    )
    b = CustomerFactory(
        company=company_a,
        name="张叁",
        mobile="+8613900139000",
        occupation="律师",
        id_number=NUMBER_B,
        budget="500万",
    )
    unit = UnitFactory(building__project=project_a)
    for c, role in ((a, Ownership.Role.OWNER), (b, Ownership.Role.CO_OWNER)):
        ownership_create(
            customer=c, unit=unit, by=crm_a, role=role, subscribed_on=datetime.date(2025, 1, 1)
        )
    return a, b


def test_a_pair_matched_by_two_rules_appears_once_with_both_reasons(
    client, group_staff, company_a, company_b
):
    # The same person in two companies: same mobile and same ID number.
    a = CustomerFactory(company=company_a, name="王五", mobile="+8613700137000", id_number=NUMBER_A)
    b = CustomerFactory(company=company_b, name="王五", mobile="+8613700137000", id_number=NUMBER_A)
    client.force_login(group_staff)
    page = client.get(reverse("customers:duplicates"))
    assert page.content.decode().count('data-testid="duplicate-pair"') == 1
    pair = page.context["pairs"][0]
    assert {pair["first"].pk, pair["second"].pk} == {a.pk, b.pk}
    assert len(pair["reasons"]) == 2


def test_id_number_rule_and_comparison_are_hidden_from_company_staff(client, crm_a, pair):
    a, b = pair
    client.force_login(crm_a)
    reasons = client.get(reverse("customers:duplicates")).context["pairs"][0]["reasons"]
    assert len(reasons) == 1  # similar name at the same unit; never "same ID number"
    page = client.get(reverse("customers:merge_start", args=[a.pk]), {"other": b.pk})
    html = page.content.decode()
    assert NUMBER_A not in html and NUMBER_B not in html
    row = next(r for r in page.context["form"].rows if r["name"] == "id_number")
    assert not row["compared"] and not row["differs"] and row["first"] == "*" * 18
    assert "value_id_number" not in page.context["form"].fields
    assert "value_occupation" in page.context["form"].fields  # other fields are compared


def test_merge_page_compares_and_keeps_the_chosen_values(client, crm_a, pair):
    a, b = pair
    client.force_login(crm_a)
    page = client.get(reverse("customers:merge_start", args=[a.pk]), {"other": b.pk})
    assert page.status_code == 200 and 'data-testid="merge-compare"' in page.content.decode()
    response = client.post(
        reverse("customers:merge_confirm", args=[a.pk, b.pk]),
        {
            "survivor": "second",
            "value_name": "first",
            "value_mobile": "first",
            "value_occupation": "first",
            "value_budget": "second",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("customers:detail", args=[b.pk])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.merged_into_id == b.pk
    assert (b.name, b.mobile, b.occupation, b.budget) == ("张三", "+8613800138000", "教师", "500万")
    assert b.id_number == NUMBER_B  # the survivor keeps its number
    message = str(list(response.context["messages"])[0])
    assert "张三" in message and "张叁" in message and str(a.pk) in message


def test_merge_page_refuses_a_survivor_that_is_not_one_of_the_two(client, crm_a, pair):
    a, b = pair
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:merge_confirm", args=[a.pk, b.pk]), {"survivor": "third"}
    )
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.merged_into_id is None


def test_service_refuses_a_value_of_neither_record(crm_a, pair):
    a, b = pair
    with pytest.raises(InvalidInput):
        customer_merge(source=b, target=a, by=crm_a, values={"occupation": "医生"})
    b.refresh_from_db()
    assert b.merged_into_id is None and Ownership.objects.filter(customer=b).exists()


def test_service_refuses_choosing_an_id_number_without_reveal_rights(crm_a, pair):
    a, b = pair
    with pytest.raises(InvalidInput):
        customer_merge(source=b, target=a, by=crm_a, values={"id_number": NUMBER_B})
    a.refresh_from_db()
    assert a.id_number == NUMBER_A


def test_blank_id_number_of_the_survivor_is_filled(crm_a, company_a):
    a = CustomerFactory(company=company_a, id_number="")
    b = CustomerFactory(company=company_a, id_number=NUMBER_B)
    customer_merge(source=b, target=a, by=crm_a)
    a.refresh_from_db()
    assert a.id_number == NUMBER_B


def test_group_staff_may_choose_the_id_number(group_staff, pair):
    a, b = pair
    customer_merge(source=b, target=a, by=group_staff, values={"id_number": NUMBER_B})
    a.refresh_from_db()
    assert a.id_number == NUMBER_B


def test_merge_page_offers_the_likely_duplicates_instead_of_a_number(client, crm_a, pair):
    a, b = pair
    client.force_login(crm_a)
    page = client.get(reverse("customers:merge_start", args=[a.pk]))
    html = page.content.decode()
    assert f'?other={b.pk}"' in html
    assert 'data-testid="merge-candidates"' in html


def test_unchosen_values_stay_the_survivors_own(client, crm_a, pair):
    a, b = pair
    client.force_login(crm_a)
    client.post(reverse("customers:merge_confirm", args=[a.pk, b.pk]), {"survivor": "second"})
    b.refresh_from_db()
    assert (b.name, b.occupation, b.budget) == ("张叁", "律师", "500万")
