import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.portal import link_owner
from customers.services import ownership_create

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_owner_account_is_linked_by_mobile_and_home_shows_the_units(
    client, company_a, company_b, unit_a, unit_b, crm_a, crm_b, settings
):
    settings.LANGUAGE_CODE = "en"
    a = CustomerFactory(company=company_a, mobile="+8613912345678")
    b = CustomerFactory(company=company_b, mobile="+8613912345678")
    ownership_create(
        customer=a,
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2025, 1, 1),
        delivery_due_on=datetime.date(2027, 6, 30),
    )
    ownership_create(customer=b, unit=unit_b, by=crm_b, subscribed_on=datetime.date(2025, 2, 1))
    owner = User.objects.create_user(
        username="owner_8613912345678", mobile="+8613912345678", kind=User.Kind.OWNER, name="张三"
    )
    link_owner(owner)
    link_owner(owner)  # idempotent
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.user == owner and b.user == owner
    client.force_login(owner, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("accounts:owner_home")).content.decode()
    assert html.count('data-testid="owner-unit"') == 2
    assert "3-2-1201" in html and "5-1-801" in html


def test_owner_without_customer_record_sees_the_empty_state(client, db):
    owner = User.objects.create_user(username="o2", mobile="+8613900000009", kind=User.Kind.OWNER)
    link_owner(owner)
    client.force_login(owner, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("accounts:owner_home")).content.decode()
    assert 'data-testid="owner-units-empty"' in html


def test_workbench_shows_todays_customer_work(client, crm_a, project_a, crm_b, project_b, settings):
    from customers.services import visit_register

    settings.LANGUAGE_CODE = "en"
    visit_register(project=project_a, by=crm_a, name="张三", mobile="13800001111")
    visit_register(project=project_a, by=crm_a, name="张三", mobile="13800001111")
    visit_register(project=project_b, by=crm_b, name="李四", mobile="13800002222")
    client.force_login(crm_a, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("org:workbench")).content.decode()
    assert 'data-testid="customers-panel"' in html
    assert '<div class="stat">2</div>' in html and "1 first visits" in html
