"""Bad input (issue 9, "Bad input"), on the pages and in the API, in the user's language
(zh-hans, the site's default): closing an unresolved case, a return visit of an open
case, a handler acting on a colleague's task, an oversize, a pixel-bomb or a fake
image, a deadline in the past. Each is refused with its reason in Chinese, answers 400
or 404 (never a 500), and writes nothing: no state, no event, no task, no photo."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from audit.models import StateEvent
from complaints import services
from complaints.models import Attachment, Case, ReturnVisit, Task
from vanke_crm import images

from .test_life_cycle import later, new_case, photo

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    return client


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _written():
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "reopen_count")),
        list(Task.objects.order_by("pk").values_list("pk", "status")),
        list(ReturnVisit.objects.order_by("pk").values_list("pk", "answered_at")),
        StateEvent.objects.count(),
        Attachment.objects.count(),
    )


@pytest.fixture
def working(crm_a, company_a, engineering, engineer):
    """A repair in progress: dispatched to the engineer, who started it."""
    case = new_case(crm_a, company_a)
    services.case_act(case=case, action="accept", by=crm_a)
    task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    services.task_act(task=task, action="start", by=engineer)
    return Case.objects.get(pk=case.pk), Task.objects.get(pk=task.pk)


def test_an_unresolved_case_cannot_be_closed_on_the_page(client, crm_a, working):
    case, _task = working
    _login(client, crm_a)
    url = reverse("complaints:case", args=[case.pk])
    before = _written()
    for data, words in (
        ({"action": "visit", "verdict": "satisfied", "reason": "满意"}, "不能执行“登记回访”"),
        ({"action": "confirm"}, "不能执行“确认处理结果”"),
        ({"action": "resolve", "reason": "已处理"}, "该工单仍有未完成的任务。"),
    ):
        response = client.post(url, data, **ZH)
        assert response.status_code == 400, data
        assert words in response.content.decode(), data
    assert _written() == before


def test_an_unresolved_case_cannot_be_closed_through_the_api(crm_a, working):
    case, _task = working
    api = _api(crm_a)
    before = _written()
    for data in (
        {"action": "visit", "verdict": "satisfied"},
        {"action": "confirm"},
        {"action": "resolve", "reason": "已处理"},
        {"action": "close"},  # no such action: the choices say so
    ):
        response = api.post(f"/api/v1/cases/{case.pk}/act/", data, format="json", **ZH)
        assert response.status_code == 400, (data, response.content)
        body = response.json()
        assert body["detail"] and not body["detail"].isascii(), body  # in Chinese
    assert _written() == before


def test_a_case_not_awaiting_its_visit_is_not_visited(client, crm_a, owner_of, working):
    """Neither by staff on the page and in the API, nor by the owner in the portal."""
    case, _task = working
    owner = owner_of(case)
    before = _written()
    _login(client, crm_a)
    response = client.post(
        reverse("complaints:case", args=[case.pk]), {"action": "visit", "verdict": "dissatisfied"}
    )
    assert response.status_code == 400
    _login(client, owner)
    response = client.post(f"/complaints/my/{case.pk}/visit/", {"verdict": "dissatisfied"})
    assert response.status_code == 400
    assert "此工单目前不需要您回复。" in response.content.decode()
    assert _written() == before


def test_an_answered_round_is_not_answered_again_through_the_api(
    crm_a, company_a, engineering, engineer
):
    """A reopened case keeps its answered round: answering it again is refused."""
    case = new_case(crm_a, company_a, type=Case.Type.COMPLAINT)
    task = services.case_dispatch(case=case, by=crm_a, department=engineering, due_at=later())
    services.task_act(task=task, action="start", by=engineer)
    services.task_act(task=task, action="finish", by=engineer, reason="已处理")
    case = services.case_act(case=Case.objects.get(pk=case.pk), action="confirm", by=crm_a)
    case = services.case_act(case=case, action="visit", by=crm_a, verdict="dissatisfied")
    assert case.status == Case.Status.REOPENED
    visit = case.return_visits.get()
    before = _written()
    response = _api(crm_a).post(
        f"/api/v1/return-visits/{visit.pk}/answer/", {"verdict": "satisfied"}, format="json", **ZH
    )
    assert response.status_code == 400 and "已" in response.json()["detail"]
    assert _written() == before


def test_a_handler_acting_on_a_colleagues_task_changes_nothing(client, working, other_engineer):
    _case, task = working
    before = _written()
    _login(client, other_engineer)
    url = reverse("complaints:task", args=[task.pk])
    for data in ({"action": "finish", "reason": "抢单"}, {"action": "send_back", "reason": "x"}):
        assert client.post(url, data).status_code == 404
    assert (
        client.post(reverse("complaints:task_photo", args=[task.pk]), {"photo": photo()})
    ).status_code == 404
    api = _api(other_engineer)
    response = api.post(f"/api/v1/tasks/{task.pk}/act/", {"action": "finish", "reason": "x"})
    assert response.status_code == 404 and response.json()["detail"]
    assert _written() == before


def _oversize() -> SimpleUploadedFile:
    """A JPEG header padded past the size cap: refused by its size before it is read."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    data = out.getvalue() + b"\0" * (images.MAX_BYTES + 1)
    return SimpleUploadedFile("big.jpg", data, content_type="image/jpeg")


def _pixel_bomb() -> SimpleUploadedFile:
    """A small PNG file of more pixels than the cap (refused before it is decoded)."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < images.MAX_BYTES
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")


def _fake() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "x.jpg", b"GIF89a<script>alert(1)</script>", content_type="image/jpeg"
    )


@pytest.mark.parametrize(
    "upload, words",
    [(_oversize, "上限为"), (_pixel_bomb, "像素过多"), (_fake, "照片")],
    ids=["oversize", "pixel-bomb", "fake"],
)
def test_a_bad_photo_is_refused_on_the_task_page(client, working, engineer, upload, words):
    _case, task = working
    _login(client, engineer)
    before = _written()
    response = client.post(
        reverse("complaints:task_photo", args=[task.pk]), {"photo": upload()}, **ZH
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert _written() == before


@pytest.mark.parametrize(
    "upload, words",
    [(_oversize, "上限为"), (_pixel_bomb, "像素过多"), (_fake, "照片")],
    ids=["oversize", "pixel-bomb", "fake"],
)
def test_a_bad_photo_files_no_case_on_the_portal(client, crm_a, owner_of, working, upload, words):
    case, _task = working
    owner = owner_of(case)
    _login(client, owner)
    before = _written()
    response = client.post(
        reverse("complaints:owner_case_new"),
        {
            "unit": case.unit_id,
            "type": "repair",
            "title": "阳台漏水",
            "description": "下雨时阳台积水",
            "photo": upload(),
        },
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert _written() == before


def test_a_deadline_in_the_past_is_refused_in_chinese(client, crm_a, company_a, engineering):
    case = new_case(crm_a, company_a)
    before = _written()
    past = timezone.localtime() - datetime.timedelta(hours=1)
    _login(client, crm_a)
    page = client.post(
        reverse("complaints:case_dispatch", args=[case.pk]),
        {"department": engineering.pk, "due_at": past.strftime("%Y-%m-%dT%H:%M")},
    )
    assert page.status_code == 400 and "期限必须晚于当前时间。" in page.content.decode()
    api = _api(crm_a).post(
        f"/api/v1/cases/{case.pk}/dispatch/",
        {"department": engineering.pk, "due_at": past.isoformat()},
        format="json",
        **ZH,
    )
    assert api.status_code == 400 and "期限必须晚于当前时间。" in str(api.json())
    assert _written() == before


@pytest.fixture
def owner_of(crm_a):
    """Makes the case's customer an owner with a portal account and a unit."""

    def make(case):
        import datetime as dt

        from accounts.models import User
        from customers.services import ownership_create
        from tests.factories import BuildingFactory, ProjectFactory, UnitFactory

        user = User.objects.create_user(
            username=f"owner_{case.pk}", mobile="+8613912340000", kind=User.Kind.OWNER
        )
        customer = case.customer
        customer.user = user
        customer.save(update_fields=["user"])
        unit = UnitFactory(
            building=BuildingFactory(project=ProjectFactory(company=case.company), number="1")
        )
        ownership_create(customer=customer, unit=unit, by=crm_a, subscribed_on=dt.date(2025, 1, 1))
        Case.objects.filter(pk=case.pk).update(unit=unit)
        case.unit_id = unit.pk
        return user

    return make
