"""Every step of a customer's case is on their 360 timeline, with who did it (issue 9
acceptance 1), through the timeline registry: customers never imports complaints."""

import pytest
from django.urls import reverse

from complaints import services

from .test_life_cycle import new_case

pytestmark = pytest.mark.django_db


def test_the_case_and_its_steps_are_on_the_customer_360_timeline(client, crm_a, company_a):
    case = new_case(crm_a, company_a)
    services.case_act(case=case, action="accept", by=crm_a)
    services.case_act(case=case, action="pause", by=crm_a, reason="业主出差，下周回来")
    client.force_login(crm_a, backend="accounts.backends.UsernameOrMobileBackend")
    html = client.get(reverse("customers:detail", args=[case.customer_id])).content.decode()
    assert case.number in html
    assert "受理" in html and "业主出差，下周回来" in html
    assert crm_a.display_name in html
