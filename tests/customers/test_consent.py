import pytest

from customers.services import customer_update
from notifications.consent import MarketingConsentMissing
from notifications.models import Channel, Message
from notifications.services import message_send

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _marketing(address):
    return message_send(
        channel=Channel.SMS,
        template="festival",
        body="中秋快乐，万客会邀您赏月",
        address=address,
        is_marketing=True,
    )


def test_no_marketing_message_without_consent(company_a):
    customer = CustomerFactory(company=company_a, marketing_consent=False)
    with pytest.raises(MarketingConsentMissing):
        _marketing(customer.mobile)
    assert not Message.objects.exists()


def test_marketing_message_to_consenting_customer_is_queued(company_a, crm_a):
    customer = CustomerFactory(company=company_a)
    customer_update(customer=customer, by=crm_a, marketing_consent=True, consent_channel="小程序")
    customer.refresh_from_db()
    assert customer.consent_at is not None
    assert _marketing(customer.mobile).status == Message.Status.PENDING


def test_unknown_person_gets_no_marketing_but_service_messages_go(db):
    with pytest.raises(MarketingConsentMissing):
        _marketing("+8613700000001")
    service = message_send(
        channel=Channel.SMS, template="t", body="您的报修已受理", address="+8613700000001"
    )
    assert service.pk


def test_withdrawn_consent_in_one_company_blocks(company_a, company_b):
    CustomerFactory(company=company_a, mobile="+8613700000002", marketing_consent=True)
    CustomerFactory(company=company_b, mobile="+8613700000002", marketing_consent=False)
    with pytest.raises(MarketingConsentMissing):
        _marketing("+8613700000002")
