"""Return visits (issue 9): a round opens when the resolution is confirmed, with an SMS
carrying the owner's signed link; staff, the link and the portal all answer through the
case's visit transition. The link works once, expires, and refuses a tampered or an
older round's token — in Chinese, with nothing written."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import StateEvent
from complaints import services
from complaints.models import Case, ReturnVisit
from complaints.services import visits
from notifications.models import Channel, Message
from org.models import Role
from tests.customers.factories import CustomerFactory

from .test_life_cycle import later, new_case

pytestmark = pytest.mark.django_db
MOBILE = "+8613911112222"


def resolved_case(crm, company, engineering, engineer, **extra) -> Case:
    extra.setdefault("customer", CustomerFactory(company=company, mobile=MOBILE))
    case = new_case(crm, company, type=Case.Type.COMPLAINT, **extra)
    return resolve_again(case, crm, engineering, engineer)


def resolve_again(case, crm, engineering, engineer, text="已处理") -> Case:
    task = services.case_dispatch(case=case, by=crm, department=engineering, due_at=later())
    services.task_act(task=task, action="start", by=engineer)
    services.task_act(task=task, action="finish", by=engineer, reason=text)
    return Case.objects.get(pk=case.pk)


def awaiting(crm, company, engineering, engineer, **extra) -> Case:
    case = resolved_case(crm, company, engineering, engineer, **extra)
    return services.case_act(case=case, action="confirm", by=crm)


def link_of(case) -> str:
    """The path of the link in the latest SMS to the case's owner."""
    sms = Message.objects.filter(channel=Channel.SMS, template="complaints.return_visit")
    body = sms.filter(ref__endswith=f":{case.pk}").latest("pk").body
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


@pytest.fixture
def ctx(crm_a, company_a, engineering, engineer):
    return crm_a, company_a, engineering, engineer


def test_confirm_opens_a_round_and_texts_the_owner_a_link(ctx):
    case = awaiting(*ctx)
    visit = case.return_visits.get()
    assert visit.round == 1 and visit.is_open and visit.due_at == case.visit_due_at
    assert visit.mobile == MOBILE and visit.sms_sent_at
    sms = Message.objects.get(channel=Channel.SMS, template="complaints.return_visit")
    assert sms.address == MOBILE and case.number in sms.body and "/complaints/visit/" in sms.link
    assert "满意" in sms.body  # the owner reads it in Chinese


def test_a_caller_without_record_gets_the_link_on_their_mobile(ctx, crm_a, company_a):
    case = awaiting(*ctx, customer=None, caller_name="陈先生", caller_mobile="+8613700009999")
    assert case.return_visits.get().mobile == "+8613700009999"
    assert Message.objects.filter(channel=Channel.SMS, address="+8613700009999").exists()


def test_staff_phone_visit_answers_the_round(ctx, crm_a):
    case = awaiting(*ctx)
    case = services.case_act(
        case=case, action="visit", by=crm_a, verdict="basically", reason="还行"
    )
    visit = case.return_visits.get()
    assert (visit.verdict, visit.comment, visit.via) == ("basically", "还行", "phone")
    assert visit.answered_by == crm_a and case.status == Case.Status.CLOSED


def test_owner_answers_through_the_link_once(client, ctx):
    case = awaiting(*ctx)
    url = link_of(case)
    page = client.get(url)
    assert page.status_code == 200 and case.title in page.content.decode()
    assert "满意" in page.content.decode()
    answered = client.post(url, {"verdict": "satisfied", "comment": "师傅很负责"})
    assert answered.status_code == 200 and "感谢" in answered.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.visit_verdict == "satisfied"
    visit = case.return_visits.get()
    assert visit.via == "link" and visit.answered_by is None and visit.comment == "师傅很负责"
    event = StateEvent.objects.filter(object_id=case.pk, action="visit").get()
    assert event.payload == {"verdict": "satisfied", "via": "link"}
    # The same link again: thanked, nothing more written.
    again = client.post(url, {"verdict": "dissatisfied"})
    assert again.status_code == 200 and "感谢" in again.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.reopen_count == 0
    assert StateEvent.objects.filter(object_id=case.pk, action="visit").count() == 1


def test_dissatisfied_through_the_link_reopens_and_the_second_escalates(ctx, client, group_staff):
    crm, company, engineering, engineer = ctx
    case = awaiting(*ctx)
    first = link_of(case)
    client.post(first, {"verdict": "dissatisfied", "comment": "还在漏"})
    case.refresh_from_db()
    assert case.status == Case.Status.REOPENED and case.reopen_count == 1
    case = resolve_again(case, crm, engineering, engineer, "再次处理")
    case = services.case_act(case=case, action="confirm", by=crm)
    assert list(case.return_visits.order_by("round").values_list("round", "verdict")) == [
        (1, "dissatisfied"),
        (2, ""),
    ]
    second = link_of(case)
    assert second != first
    # The first round's link is out of date now.
    old = client.get(first)
    assert old.status_code == 400 and "新的链接" in old.content.decode()
    client.post(second, {"verdict": "dissatisfied"})
    case.refresh_from_db()
    assert case.reopen_count == 2 and case.escalation == Case.Escalation.GROUP


def test_tampered_link_is_refused_and_writes_nothing(client, ctx):
    case = awaiting(*ctx)
    url = link_of(case)
    token = url.rstrip("/").rsplit("/", 1)[1]
    visit = case.return_visits.get()
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps({"v": visit.pk, "n": "guessed"}, salt=visits.SALT),
        signing.dumps({"v": visit.pk, "n": visit.nonce}, salt="another-salt"),
        "not-a-token",
    ]
    for bad in forged:
        path = reverse("complaints:visit_link", kwargs={"token": bad})
        for response in (client.get(path), client.post(path, {"verdict": "dissatisfied"})):
            assert response.status_code == 400
            assert "链接无效" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_VISIT and case.return_visits.get().is_open


def test_expired_link_is_refused(client, ctx):
    case = awaiting(*ctx)
    url = link_of(case)
    assert visits.link_days(case.company_id) == 7
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(url, {"verdict": "satisfied"})
    assert response.status_code == 400 and "链接已过期" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_VISIT and case.return_visits.get().is_open


def test_the_link_lifetime_is_a_company_setting(client, ctx, group_staff, company_a):
    from org.services import setting_set

    case = awaiting(*ctx)
    setting_set(company=company_a, key="return_visit_link_days", value=1, by=group_staff)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert visits.link_status(link_of(case).split("/")[-2]).kind == "expired"


def test_a_bad_verdict_on_the_link_is_refused_on_the_form(client, ctx):
    case = awaiting(*ctx)
    response = client.post(link_of(case), {"verdict": "happy"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_VISIT


def test_link_of_a_case_no_longer_waiting_is_refused(client, ctx, crm_a):
    case = awaiting(*ctx)
    url = link_of(case)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CANCELLED)
    response = client.get(url)
    assert response.status_code == 400 and "不再等待" in response.content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")
def test_api_lists_and_records_return_visits(client, ctx, crm_a, crm_b, company_b):
    case = awaiting(*ctx)
    visit = case.return_visits.get()
    client.force_login(crm_b)
    assert client.get("/api/v1/return-visits/").json()["results"] == []
    assert client.get(f"/api/v1/return-visits/{visit.pk}/").status_code == 404
    refused = client.post(f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "satisfied"})
    assert refused.status_code == 404
    client.force_login(crm_a)
    rows = client.get("/api/v1/return-visits/?answered=false").json()["results"]
    assert [r["id"] for r in rows] == [visit.pk] and rows[0]["case_number"] == case.number
    assert client.get("/api/v1/return-visits/?answered=true").json()["results"] == []
    due = (case.visit_due_at + datetime.timedelta(minutes=1)).isoformat()
    assert len(client.get("/api/v1/return-visits/", {"due_before": due}).json()["results"]) == 1
    bad = client.post(f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "happy"})
    assert bad.status_code == 400
    done = client.post(
        f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "satisfied", "comment": "好"}
    )
    assert done.status_code == 200 and done.json()["verdict"] == "satisfied"
    twice = client.post(f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "satisfied"})
    assert twice.status_code == 400 and "已" in twice.json()["detail"]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_a_handler_cannot_record_a_visit_through_the_api(client, ctx, company_a):
    from tests.factories import make_staff

    handler = make_staff(Role.HANDLER, company_a, username="h_api")
    case = awaiting(*ctx)
    visit = case.return_visits.get()
    client.force_login(handler)
    response = client.post(f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "satisfied"})
    assert response.status_code in (403, 404)
    assert ReturnVisit.objects.get(pk=visit.pk).is_open
