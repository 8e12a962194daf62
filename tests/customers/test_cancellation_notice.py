"""Issue 8: a cancellation awaiting approval reaches the manager: an inbox notice when
it is requested and a count with a link on their dashboard. Staff who may not decide
get neither."""

import datetime

import pytest
from django.urls import reverse

from customers.models import Ownership
from customers.services import ownership_cancel, ownership_cancel_decide, ownership_create
from notifications.models import Channel, Message
from notifications.services import message_deliver
from org.models import Role
from tests.factories import make_staff

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(company_a, unit_a, crm_a, manager_a, django_capture_on_commit_callbacks):
    customer = CustomerFactory(company=company_a, name="王芳")
    with django_capture_on_commit_callbacks(execute=True):
        own = ownership_create(
            customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
        )
        own = ownership_cancel(ownership=own, by=crm_a, reason="资金周转困难")
    assert own.status == Ownership.Status.CANCEL_PENDING
    return own


def _notices():
    return Message.objects.filter(channel=Channel.INBOX, template="cancellation_awaiting_approval")


def test_the_companys_manager_gets_an_inbox_notice_with_a_link(pending, manager_a):
    (message,) = _notices()
    assert message.recipient == manager_a
    assert message.link == reverse("customers:ownership", kwargs={"pk": pending.pk})
    item = message_deliver(message_id=message.pk).inbox_item
    assert item.user == manager_a
    assert item.title == "待您审批的退房申请"
    assert "王芳" in item.body and pending.unit.code in item.body


def test_no_notice_for_other_companies_managers_nor_for_crm_staff(
    company_b, unit_a, crm_a, manager_a, django_capture_on_commit_callbacks
):
    make_staff(Role.MANAGER, company_b, username="manager_b")
    customer = CustomerFactory(company=unit_a.building.project.company)
    with django_capture_on_commit_callbacks(execute=True):
        own = ownership_create(
            customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
        )
        ownership_cancel(ownership=own, by=crm_a, reason="换房")
    assert list(_notices().values_list("recipient__username", flat=True)) == ["manager_a"]


def test_a_cancellation_final_at_once_sends_no_notice(
    company_a, unit_a, crm_a, manager_a, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(company=company_a)
    today = datetime.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        own = ownership_create(customer=customer, unit=unit_a, by=crm_a, subscribed_on=today)
        own = ownership_cancel(ownership=own, by=crm_a)  # inside the window
    assert own.status == Ownership.Status.CANCELLED
    assert not _notices().exists()


def test_managers_dashboard_counts_pending_cancellations_with_a_link(client, pending, manager_a):
    client.force_login(manager_a)
    page = client.get(reverse("org:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="cancellations-panel"' in page
    assert "1 cancellation waits for your decision" in page
    assert reverse("customers:cancellations") in page


def test_dashboard_says_so_once_the_cancellation_is_decided(
    client, pending, manager_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ownership_cancel_decide(ownership=pending, by=manager_a, approve=False)
    client.force_login(manager_a)
    page = client.get(reverse("org:dashboard")).content.decode()
    assert "No cancellation is waiting for a decision." in page or "暂无待审批的退房申请" in page


def test_the_panel_is_not_offered_to_staff_who_may_not_decide(rf, crm_a, pending):
    from customers.views.notices import cancellations_panel

    request = rf.get("/")
    request.user = crm_a
    assert cancellations_panel(request) is None
