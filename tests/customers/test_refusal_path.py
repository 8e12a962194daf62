"""The one refusal path through real pages (issue 8, "Bad input"): for each kind of
refusal a page form, an htmx action and an API call answer with the right status and
the reason in the user's language (here Chinese, from Accept-Language).

- invalid input on a field: the error under that field, the form keeps what was typed;
- invalid input not on a field, or a state that does not allow it: above the form or
  as a message (400);
- not allowed (RoleRequired): the 403 page or the API's 403 with the reason;
- out of scope (another company's record): the 404 page or the API's 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import ImportBatch, Ownership, RiskItem, WorkPoint, WorkPointCheck
from customers.services import ownership_create

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
HTMX = {"HTTP_HX_REQUEST": "true", **ZH}
REASON_REQUIRED = "超过无理由退房期后，必须填写原因。"
NOT_CONTRACTED = "只有已签约的房屋才能交付。"


@pytest.fixture
def ownership(crm_a, company_a, unit_a):
    """Subscribed long ago: the no-questions window is over, a cancellation needs a reason."""
    customer = CustomerFactory(company=company_a, name="王五")
    return ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
    )


def page(user):
    client = Client(**ZH)
    client.force_login(user)
    return client


def api(user):
    client = APIClient(**ZH)
    client.force_authenticate(user)
    return client


def own_url(ownership):
    return reverse("customers:ownership", args=[ownership.pk])


def act_url(ownership):
    return f"/api/v1/ownerships/{ownership.pk}/act/"


def messages_of(response) -> str:
    return response.content.decode().split('id="messages"', 1)[1].split("</div>", 1)[0]


def status_of(ownership):
    ownership.refresh_from_db()
    return ownership.status


# --- invalid input on a field ---------------------------------------------------------


def test_field_refusal_on_the_page_form_stays_under_its_field(ownership, crm_a):
    response = page(crm_a).post(own_url(ownership), {"action": "cancel", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert REASON_REQUIRED in html and 'aria-invalid="true"' in html
    assert status_of(ownership) == Ownership.Status.SUBSCRIBED


def test_field_refusal_through_htmx_stays_under_its_field(ownership, crm_a):
    data = {"action": "cancel", "reason": ""}
    response = page(crm_a).post(own_url(ownership), data, **HTMX)
    assert response.status_code == 400
    assert REASON_REQUIRED in response.content.decode()
    assert "HX-Retarget" not in response  # the form's own swap shows it


def test_field_refusal_on_the_visit_form_keeps_what_was_typed(crm_a, project_a):
    data = {"project": project_a.pk, "name": "李四", "mobile": "1390000", "source": "walk_in"}
    data["companions"] = 0
    response = page(crm_a).post(reverse("customers:visit_register"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请输入有效的中国大陆手机号（11 位）。" in html and 'value="李四"' in html


def test_field_refusal_in_the_api_names_the_field(ownership, crm_a):
    response = api(crm_a).post(act_url(ownership), {"action": "cancel"})
    assert response.status_code == 400
    assert response.json()["reason"] == [REASON_REQUIRED]
    assert response.json()["detail"]


# --- invalid input not on a field / a state that does not allow it --------------------


def test_illegal_transition_on_the_page_is_said_with_the_current_state(ownership, crm_a):
    data = {"action": "hand_over", "handover_on": "2025-03-01"}
    response = page(crm_a).post(own_url(ownership), data)
    assert response.status_code == 400 and NOT_CONTRACTED in response.content.decode()
    assert status_of(ownership) == Ownership.Status.SUBSCRIBED


def test_a_refused_import_confirm_shows_the_batch_with_the_reason(company_a, crm_a):
    batch = ImportBatch.objects.create(
        company=company_a, uploaded_by=crm_a, file_name="客户.xlsx", status="imported"
    )
    response = page(crm_a).post(reverse("customers:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    assert "该文件已导入。" in messages_of(response)


def test_illegal_transition_through_htmx_swaps_the_state_and_the_reason(crm_a, project_a):
    item = RiskItem.objects.create(
        project=project_a, kind="substation", title="变电站", distance_m=300, is_published=True
    )
    url = reverse("customers:risk_item_publish", args=[item.pk])
    response = page(crm_a).post(url, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert reverse("customers:risk_item_unpublish", args=[item.pk]) in html  # current state
    assert 'hx-swap-oob="true"' in html and "该条目已发布。" in messages_of(response)


def test_a_rule_of_the_service_through_htmx_comes_back_as_a_message(crm_a, company_a):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.filter(company__isnull=True).first()
    WorkPoint.objects.filter(pk=point.pk).update(is_active=False)
    url = reverse("customers:workpoint_toggle", args=[customer.pk, point.pk])
    response = page(crm_a).post(url, **HTMX)
    assert response.status_code == 400
    assert 'id="checklist"' in response.content.decode()
    assert "该工作要点不适用于此客户。" in messages_of(response)
    assert not WorkPointCheck.objects.filter(customer=customer).exists()


def test_illegal_transition_in_the_api_is_the_detail(ownership, crm_a):
    data = {"action": "hand_over", "handover_on": "2025-03-01"}
    response = api(crm_a).post(act_url(ownership), data)
    assert response.status_code == 400 and response.json()["detail"] == NOT_CONTRACTED


# --- not allowed: RoleRequired -------------------------------------------------------


def test_a_role_that_may_not_is_the_403_page_with_the_reason(ownership, manager_a):
    data = {"action": "contract", "contracted_on": "2025-02-01"}
    response = page(manager_a).post(own_url(ownership), data)
    assert response.status_code == 403
    assert "只有" in response.content.decode()  # the role's reason, not a bare 403
    assert status_of(ownership) == Ownership.Status.SUBSCRIBED


def test_a_role_that_may_not_through_htmx_gets_the_403_in_place_of_the_page(manager_a, company_a):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.filter(company__isnull=True, is_active=True).first()
    url = reverse("customers:workpoint_toggle", args=[customer.pk, point.pk])
    response = page(manager_a).post(url, **HTMX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "main.page" and response["HX-Reswap"] == "outerHTML"
    assert "只有客服人员" in response.content.decode()


def test_a_role_that_may_not_in_the_api_is_403_with_the_reason(ownership, manager_a):
    data = {"action": "contract", "contracted_on": "2025-02-01"}
    response = api(manager_a).post(act_url(ownership), data)
    assert response.status_code == 403 and "只有" in response.json()["detail"]


# --- out of scope: another company's record ------------------------------------------


def test_another_companys_record_is_the_404_page(ownership, crm_b):
    response = page(crm_b).post(own_url(ownership), {"action": "cancel", "reason": "换房"})
    assert response.status_code == 404 and "您访问的页面不存在" in response.content.decode()
    assert status_of(ownership) == Ownership.Status.SUBSCRIBED


def test_another_companys_record_through_htmx_is_the_404_in_place_of_the_page(crm_b, project_a):
    item = RiskItem.objects.create(
        project=project_a, kind="substation", title="变电站", distance_m=300
    )
    response = page(crm_b).post(reverse("customers:risk_item_publish", args=[item.pk]), **HTMX)
    assert response.status_code == 404 and response["HX-Retarget"] == "main.page"
    item.refresh_from_db()
    assert not item.is_published


def test_another_companys_record_in_the_api_is_404(ownership, crm_b):
    response = api(crm_b).post(act_url(ownership), {"action": "cancel", "reason": "换房"})
    assert response.status_code == 404 and response.json()["detail"] == "未找到。"
