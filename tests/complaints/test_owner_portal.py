"""The owner portal's cases (issue 9, acceptance 5): an owner files a case for their
unit, follows it, answers the return visit and escalates it to the group; group staff
find it in their queue with its history, company staff see the group is watching.
Another owner's case is a 404; escalating twice or a closed case is refused."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import User
from complaints.models import Attachment, Case, ReturnVisit
from customers.services import ownership_create
from notifications.models import Message
from notifications.records import record_ref
from tests.customers.factories import CustomerFactory
from tests.factories import BuildingFactory, UnitFactory

from .test_life_cycle import photo
from .test_return_visits import resolve_again

pytestmark = pytest.mark.django_db
MOBILE = "+8613912345678"


def _owner(company, unit, crm, *, mobile=MOBILE, username="owner_1", name="张业主"):
    user = User.objects.create_user(
        username=username, mobile=mobile, kind=User.Kind.OWNER, name=name
    )
    customer = CustomerFactory(company=company, mobile=mobile, name=name, user=user)
    ownership_create(customer=customer, unit=unit, by=crm, subscribed_on=datetime.date(2025, 1, 1))
    return user


@pytest.fixture
def unit_a(project_a):
    return UnitFactory(building=BuildingFactory(project=project_a, number="3"), code="3-2-1201")


@pytest.fixture
def owner(company_a, unit_a, crm_a):
    return _owner(company_a, unit_a, crm_a)


@pytest.fixture
def other_owner(company_a, project_a, crm_a):
    unit = UnitFactory(building=BuildingFactory(project=project_a, number="9"), code="9-1-101")
    return _owner(company_a, unit, crm_a, mobile="+8613900000001", username="o2", name="李业主")


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")


def _file(client, unit, **extra):
    data = {
        "unit": unit.pk,
        "type": "repair",
        "title": "厨房水管漏水",
        "description": "水槽下方一直滴水",
        **extra,
    }
    return client.post(reverse("complaints:owner_case_new"), data)


def test_owner_files_a_case_with_a_photo_and_follows_it(client, owner, unit_a, crm_a):
    _login(client, owner)
    response = _file(client, unit_a, photo=photo("kitchen.jpg"))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/complaints/my/{case.pk}/"
    assert (case.channel, case.unit, case.customer.user) == ("portal", unit_a, owner)
    assert case.created_by == owner and case.status == Case.Status.RECEIVED
    attachment = Attachment.objects.get(case=case)
    assert attachment.kind == "intake" and "kitchen" not in attachment.file.name
    page = client.get(response.url).content.decode()
    assert "厨房水管漏水" in page and "已受理" not in page and "3-2-1201" in page
    home = client.get(reverse("accounts:owner_home")).content.decode()
    assert 'data-testid="owner-case"' in home and "我的报事" in home
    # Staff see it in their queue, received through the portal.
    _login(client, crm_a)
    assert case.number in client.get(reverse("complaints:queue")).content.decode()


def test_owner_cannot_file_for_a_unit_that_is_not_theirs(client, owner, other_owner):
    from org.models import Unit

    other_unit = Unit.objects.get(code="9-1-101")
    _login(client, owner)
    response = _file(client, other_unit)
    assert response.status_code == 400 and Case.objects.count() == 0


def test_a_fake_photo_is_refused_and_nothing_is_written(client, owner, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, owner)
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = _file(client, unit_a, photo=fake)
    assert response.status_code == 400 and "照片" in response.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_missing_title_is_refused_in_chinese(client, owner, unit_a):
    _login(client, owner)
    response = _file(client, unit_a, title="")
    html = response.content.decode()
    assert response.status_code == 400, html
    assert re.search(r"id=\"id_title_error\"><li>[^<]*必填项", html) and Case.objects.count() == 0


def test_another_owners_case_is_a_404_and_staff_are_sent_away(
    client, owner, other_owner, unit_a, crm_a
):
    _login(client, owner)
    _file(client, unit_a)
    case = Case.objects.get()
    _login(client, other_owner)
    assert client.get(f"/complaints/my/{case.pk}/").status_code == 404
    response = client.post(f"/complaints/my/{case.pk}/escalate/", {"reason": "x"})
    assert response.status_code == 404
    assert (
        client.post(f"/complaints/my/{case.pk}/visit/", {"verdict": "satisfied"}).status_code == 404
    )
    _login(client, crm_a)
    assert client.get(f"/complaints/my/{case.pk}/").status_code == 403
    case.refresh_from_db()
    assert case.escalated_group_at is None


def test_owner_escalates_once_group_sees_it_company_sees_the_banner(
    client, owner, unit_a, crm_a, group_staff
):
    _login(client, owner)
    _file(client, unit_a)
    case = Case.objects.get()
    url = f"/complaints/my/{case.pk}/escalate/"
    empty = client.post(url, {"reason": " "})
    assert empty.status_code == 400
    case.refresh_from_db()
    assert case.escalated_group_at is None
    done = client.post(url, {"reason": "物业拖了两周没人来"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.escalation == Case.Escalation.GROUP and case.escalated_group_at
    assert Message.objects.filter(recipient=group_staff, ref=record_ref(case)).count() == 1
    page = client.get(f"/complaints/my/{case.pk}/").content.decode()
    assert "集团客服中心督办中" in page and 'data-testid="owner-escalate-form"' not in page
    again = client.post(url, {"reason": "再次申请"})
    assert again.status_code == 400 and "集团客服中心已在督办此工单" in again.content.decode()
    assert Message.objects.filter(recipient=group_staff, ref=record_ref(case)).count() == 1
    # The group centre: in its "escalated" view, with the history and the owner's reason.
    _login(client, group_staff)
    queue = client.get(reverse("complaints:queue") + "?view=escalated").content.decode()
    assert case.number in queue
    page = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    assert "物业拖了两周没人来" in page and 'data-testid="group-supervision"' in page
    note = client.post(
        reverse("complaints:case_note", args=[case.pk]), {"text": "集团督办：三天内上门"}
    )
    assert note.status_code == 302
    # The company's staff see that the group is watching.
    _login(client, crm_a)
    page = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    assert 'data-testid="group-supervision"' in page and "集团客服中心正在督办此工单" in page
    assert "集团督办：三天内上门" in page


def test_a_closed_case_cannot_be_escalated(client, owner, unit_a, crm_a):
    _login(client, owner)
    _file(client, unit_a, type="consultation")
    case = Case.objects.get()
    from complaints import services

    services.case_act(case=case, action="answer", by=crm_a, reason="已答复")
    response = client.post(f"/complaints/my/{case.pk}/escalate/", {"reason": "不满意"})
    assert response.status_code == 400
    assert "已关闭或已取消的工单不能升级" in response.content.decode()
    case.refresh_from_db()
    assert case.escalated_group_at is None


def test_owner_answers_the_return_visit_in_the_portal(
    client, owner, unit_a, crm_a, company_a, engineering, engineer
):
    from complaints import services

    _login(client, owner)
    _file(client, unit_a, type="complaint")
    case = Case.objects.get()
    case = resolve_again(case, crm_a, engineering, engineer, "已更换水管")
    page = client.get(f"/complaints/my/{case.pk}/").content.decode()
    assert 'data-testid="owner-visit-form"' not in page  # not yet confirmed
    refused = client.post(f"/complaints/my/{case.pk}/visit/", {"verdict": "satisfied"})
    assert refused.status_code == 400
    services.case_act(case=case, action="confirm", by=crm_a)
    page = client.get(f"/complaints/my/{case.pk}/").content.decode()
    assert 'data-testid="owner-visit-form"' in page and "已更换水管" in page
    done = client.post(
        f"/complaints/my/{case.pk}/visit/", {"verdict": "satisfied", "comment": "好"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    visit = case.return_visits.get()
    assert case.status == Case.Status.CLOSED
    assert (visit.via, visit.answered_by) == (ReturnVisit.Via.PORTAL, owner)
    # The timeline shows the steps, never the internal notes.
    services.case_note_add(case=case, by=crm_a, text="内部：业主脾气较大")
    page = client.get(f"/complaints/my/{case.pk}/").content.decode()
    assert "内部：业主脾气较大" not in page and "已关闭" in page


def test_the_demo_owner_finds_their_case_awaiting_the_visit(
    client, owner, unit_a, crm_a, company_a, engineering, engineer
):
    from complaints import services
    from complaints.visit_demo import seed_demo_owner
    from demo.registry import SeedContext

    customer = CustomerFactory(company=company_a, mobile="+8613655556666", name="周业主")
    case = services.case_create(
        company=company_a,
        by=crm_a,
        type="complaint",
        channel="hotline",
        title="噪音",
        description="楼上装修噪音",
        customer=customer,
        unit=unit_a,
    )
    case = resolve_again(case, crm_a, engineering, engineer)
    services.case_act(case=case, action="confirm", by=crm_a)
    seed_demo_owner(SeedContext())
    seed_demo_owner(SeedContext())  # idempotent
    demo_owner = User.objects.get(mobile="+8613655556666")
    assert demo_owner.is_owner and User.objects.filter(mobile="+8613655556666").count() == 1
    _login(client, demo_owner)
    home = client.get(reverse("accounts:owner_home")).content.decode()
    assert "噪音" in home and 'data-testid="owner-case-visit"' in home
