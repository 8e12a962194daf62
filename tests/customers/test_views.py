import datetime

import pytest
from django.urls import reverse

from customers.models import Customer, IdReveal, WorkPoint, WorkPointCheck
from customers.services import customer_merge, ownership_create, visit_register
from tests.factories import UnitFactory

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    # The backend a real sign-in records in the session (it loads the user per request).
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "en"
    return client


def test_visit_form_registers_prospect_and_redirects_to_360(client, crm_a, project_a):
    login(client, crm_a)
    response = client.post(
        reverse("customers:visit_register"),
        {
            "project": project_a.pk,
            "name": "李四",
            "mobile": "13900001111",
            "source": "walk_in",
            "needs": "两房",
            "companions": 1,
            "companions_note": "妻子",
        },
    )
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    page = client.get(response["Location"])
    assert "李四" in page.content.decode()
    assert "First visit at" in page.content.decode()


def test_visit_form_with_bad_mobile_keeps_input_and_says_why(client, crm_a, project_a):
    login(client, crm_a)
    response = client.post(
        reverse("customers:visit_register"),
        {
            "project": project_a.pk,
            "name": "李四",
            "mobile": "1390000",
            "source": "walk_in",
            "companions": 0,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "valid mainland mobile" in html
    assert 'value="李四"' in html and 'value="1390000"' in html
    assert Customer.objects.count() == 0


def test_handler_cannot_open_customers(client, handler_a):
    login(client, handler_a)
    assert client.get(reverse("customers:list")).status_code == 403
    assert client.get(reverse("customers:visit_register")).status_code == 403


def test_other_companys_customer_is_404(client, crm_b, company_a):
    customer = CustomerFactory(company=company_a)
    login(client, crm_b)
    assert client.get(reverse("customers:detail", args=[customer.pk])).status_code == 404
    assert client.get(reverse("customers:edit", args=[customer.pk])).status_code == 404


def test_list_is_scoped_and_searchable(client, crm_a, company_a, company_b):
    CustomerFactory(company=company_a, name="张三")
    CustomerFactory(company=company_b, name="张三丰")
    login(client, crm_a)
    html = client.get(reverse("customers:list"), {"q": "zs"}).content.decode()
    assert "张三" in html and "张三丰" not in html


def test_list_of_50_costs_few_queries(
    client, crm_a, company_a, project_a, django_assert_max_num_queries
):
    customers = CustomerFactory.create_batch(60, company=company_a)
    for i, customer in enumerate(customers):
        unit = UnitFactory(building__project=project_a, number=f"{i + 100}")
        ownership_create(
            customer=customer, unit=unit, by=crm_a, subscribed_on=datetime.date(2025, 1, 1)
        )
    login(client, crm_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("customers:list"))
    assert response.content.decode().count('data-testid="customer-row"') == 50


def test_360_page_costs_few_queries(client, crm_a, project_a, django_assert_max_num_queries):
    result = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000")
    for i in range(5):
        visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000")
        unit = UnitFactory(building__project=project_a, number=f"{i + 300}")
        ownership_create(
            customer=result.customer,
            unit=unit,
            by=crm_a,
            subscribed_on=datetime.date(2025, 1, 1),
            role="co_owner",
        )
    login(client, crm_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("customers:detail", args=[result.customer.pk]))
    assert response.status_code == 200


def test_ticking_a_work_point_from_the_page(client, crm_a, company_a):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.get(code="first-visit-recorded")
    login(client, crm_a)
    url = reverse("customers:workpoint_toggle", args=[customer.pk, point.pk])
    response = client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "☑" in response.content.decode()
    check = WorkPointCheck.objects.get(customer=customer, work_point=point)
    assert check.done_by == crm_a
    assert client.get(url).status_code == 405


def test_manager_reads_but_cannot_tick(client, manager_a, company_a):
    customer = CustomerFactory(company=company_a)
    point = WorkPoint.objects.get(code="first-visit-recorded")
    login(client, manager_a)
    assert client.get(reverse("customers:detail", args=[customer.pk])).status_code == 200
    client.post(reverse("customers:workpoint_toggle", args=[customer.pk, point.pk]), {"done": "1"})
    assert not WorkPointCheck.objects.exists()


def test_id_number_masked_for_company_staff_and_revealed_for_group(
    client, crm_a, group_staff, company_a
):
    customer = CustomerFactory(company=company_a)
    login(client, crm_a)
    html = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert customer.id_number not in html and customer.id_number_masked in html
    assert client.post(reverse("customers:id_reveal", args=[customer.pk])).status_code == 403
    edit = client.get(reverse("customers:edit", args=[customer.pk])).content.decode()
    assert customer.id_number not in edit
    client.logout()
    login(client, group_staff)
    revealed = client.post(reverse("customers:id_reveal", args=[customer.pk])).content.decode()
    assert customer.id_number in revealed
    assert IdReveal.objects.filter(customer=customer, by=group_staff).count() == 1


def test_merged_record_redirects_to_survivor(client, crm_a, project_a):
    a = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000").customer
    b = visit_register(project=project_a, by=crm_a, name="张叁", mobile="13800138001").customer
    customer_merge(source=b, target=a, by=crm_a)
    login(client, crm_a)
    response = client.get(reverse("customers:detail", args=[b.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "customers:detail", args=[a.pk]
    )
    history = client.get(reverse("customers:history", args=[a.pk])).content.decode()
    assert "Merged customer" in history


def test_merge_screen_previews_then_merges(client, crm_a, project_a):
    a = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000").customer
    b = visit_register(project=project_a, by=crm_a, name="张叁", mobile="13800138001").customer
    login(client, crm_a)
    preview = client.get(
        reverse("customers:merge_start", args=[a.pk]), {"other": b.pk}
    ).content.decode()
    assert 'data-testid="merge-preview"' in preview
    self_merge = client.get(
        reverse("customers:merge_start", args=[a.pk]), {"other": a.pk}
    ).content.decode()
    assert "cannot be merged with itself" in self_merge
    response = client.post(reverse("customers:merge_confirm", args=[a.pk, b.pk]))
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk


def test_lifecycle_overview_and_duplicates_render(client, crm_a, project_a):
    visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000")
    login(client, crm_a)
    overview = client.get(reverse("customers:lifecycle")).content.decode()
    assert project_a.name in overview and "3 / 3" in overview
    assert client.get(reverse("customers:duplicates")).status_code == 200


def test_cancellation_after_window_through_the_page(client, crm_a, manager_a, company_a, project_a):
    customer = CustomerFactory(company=company_a)
    unit = UnitFactory(building__project=project_a)
    ownership = ownership_create(
        customer=customer, unit=unit, by=crm_a, subscribed_on=datetime.date(2025, 1, 1)
    )
    login(client, crm_a)
    url = reverse("customers:ownership", args=[ownership.pk])
    page = client.post(url, {"action": "cancel", "reason": ""})
    assert "reason is required" in page.content.decode()
    client.post(url, {"action": "cancel", "reason": "换房"})
    ownership.refresh_from_db()
    assert ownership.status == "cancel_pending"
    client.logout()
    login(client, manager_a)
    client.post(url, {"action": "approve_cancellation"})
    ownership.refresh_from_db()
    assert ownership.status == "cancelled"
