"""The complaints pages (issue 9): hotline intake, the queue and its saved views, the
case page with its buttons, dispatch and notes, and the handler's task pages; each
with its refusals (wrong role 403, other company 404, bad input 400 with the reason)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints import services
from complaints.models import Case, CaseNote, Category, Task
from org.models import Department, Role
from tests.customers.factories import CustomerFactory
from tests.factories import MembershipFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def works(company_a):
    return Department.objects.create(company=company_a, kind="engineering", name="工程部")


@pytest.fixture
def fixer(company_a, works):
    user = UserFactory(username="fixer_a", name="李工")
    MembershipFactory(user=user, company=company_a, role=Role.HANDLER, department=works)
    return user


@pytest.fixture
def other_fixer(company_a, works):
    user = UserFactory(username="fixer_b", name="王工")
    MembershipFactory(user=user, company=company_a, role=Role.HANDLER, department=works)
    return user


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG")
    return SimpleUploadedFile("after.jpg", out.getvalue(), content_type="image/jpeg")


def new_case(crm, company, **extra) -> Case:
    fields = {
        "type": Case.Type.REPAIR,
        "channel": Case.Channel.HOTLINE,
        "title": "卫生间漏水",
        "description": "楼下天花板渗水",
        "caller_name": "陈先生",
        "caller_mobile": "13800001111",
    }
    fields.update(extra)
    return services.case_create(company=company, by=crm, **fields)


def later(hours=48):
    return timezone.now() + datetime.timedelta(hours=hours)


def text_of(response) -> str:
    return response.content.decode()


# --- intake ----------------------------------------------------------------------


def intake_data(**extra):
    data = {
        "type": "repair",
        "channel": "hotline",
        "severity": "normal",
        "category": Category.objects.get(code="quality-leak").pk,
        "title": "厨房漏水",
        "description": "水槽下方漏水",
    }
    data.update(extra)
    return data


def test_hotline_intake_with_a_chosen_customer_lands_on_the_case_page(client, crm_a, company_a):
    customer = CustomerFactory(company=company_a, name="王芳")
    login(client, crm_a)
    assert client.get(reverse("complaints:intake")).status_code == 200
    response = client.post(
        reverse("complaints:intake"), intake_data(company=company_a.pk, customer=customer.pk)
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/complaints/cases/{case.pk}/"
    assert case.customer == customer and case.created_by == crm_a
    assert case.channel == "hotline" and case.status == "received"
    page = client.get(response.url)
    assert page.status_code == 200 and case.number in text_of(page) and "王芳" in text_of(page)


def test_an_unknown_caller_is_recorded_by_name_and_mobile(client, crm_a, company_a, project_a):
    login(client, crm_a)
    response = client.post(
        reverse("complaints:intake"),
        intake_data(company=company_a.pk, caller_name="路人甲", caller_mobile="13911112222"),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.customer is None and case.caller_name == "路人甲"


def test_intake_without_customer_or_caller_is_refused_with_the_reason(client, crm_a, company_a):
    login(client, crm_a)
    response = client.post(reverse("complaints:intake"), intake_data(company=company_a.pk))
    assert response.status_code == 400
    assert "Choose the customer, or give the caller" in text_of(response)
    assert "厨房漏水" in text_of(response)  # what was typed is kept
    response = client.post(
        reverse("complaints:intake"),
        intake_data(company=company_a.pk, caller_name="甲", title="", unit_code="9-9-999"),
    )
    assert response.status_code == 400 and not Case.objects.exists()
    assert "Choose the project of the unit." in text_of(response)


def test_intake_refuses_another_companys_customer_and_non_crm_roles(
    client, crm_a, company_a, company_b, handler_a, manager_a
):
    theirs = CustomerFactory(company=company_b)
    login(client, crm_a)
    response = client.post(
        reverse("complaints:intake"), intake_data(company=company_a.pk, customer=theirs.pk)
    )
    assert response.status_code == 400 and not Case.objects.exists()
    response = client.post(
        reverse("complaints:intake"), intake_data(company=company_b.pk, caller_name="甲")
    )
    assert response.status_code == 400 and not Case.objects.exists()
    for user in (handler_a, manager_a):
        login(client, user)
        assert client.get(reverse("complaints:intake")).status_code == 403
        assert client.post(reverse("complaints:intake"), intake_data()).status_code == 403


def test_the_caller_search_finds_own_customers_and_shows_their_open_cases(
    client, crm_a, company_a, company_b
):
    ours = CustomerFactory(company=company_a, name="刘洋", mobile="+8613612345678")
    CustomerFactory(company=company_b, name="刘洋", mobile="+8613612345679")
    open_case = new_case(crm_a, company_a, customer=ours, title="门锁坏了")
    login(client, crm_a)
    found = client.get(reverse("complaints:caller_search"), {"q": "5678"})
    assert found.status_code == 200 and text_of(found).count('data-testid="caller-pick"') == 1
    by_name = client.get(reverse("complaints:caller_search"), {"q": "刘洋"})
    assert text_of(by_name).count('data-testid="caller-pick"') == 1
    picked = client.get(reverse("complaints:caller_pick", args=[ours.pk]))
    assert open_case.number in text_of(picked) and f'value="{ours.pk}"' in text_of(picked)
    theirs = CustomerFactory(company=company_b)
    assert client.get(reverse("complaints:caller_pick", args=[theirs.pk])).status_code == 404


# --- the queue -------------------------------------------------------------------


def numbers(response) -> list:
    return [case.number for case, _left, _overdue in response.context["rows"]]


def test_the_saved_views_return_exactly_their_cases(client, crm_a, company_a, fixer, works):
    colleague = make_staff(Role.COMPANY_CRM, company_a, username="crm_a2")
    now = timezone.now()
    mine = new_case(crm_a, company_a, title="mine")
    services.case_act(case=mine, action="accept", by=crm_a)  # accepting makes it mine
    unassigned = new_case(crm_a, company_a, title="unassigned")
    Case.objects.filter(pk=unassigned.pk).update(resolve_due_at=now + datetime.timedelta(days=9))
    near = new_case(crm_a, company_a, title="near")
    Case.objects.filter(pk=near.pk).update(
        assignee=colleague, resolve_due_at=now + datetime.timedelta(minutes=30)
    )
    breached = new_case(crm_a, company_a, title="breached")
    Case.objects.filter(pk=breached.pk).update(
        assignee=colleague, resolve_due_at=now - datetime.timedelta(hours=2)
    )
    escalated = new_case(crm_a, company_a, title="escalated")
    Case.objects.filter(pk=escalated.pk).update(
        assignee=colleague, escalation=1, resolve_due_at=now + datetime.timedelta(days=9)
    )
    visit = new_case(crm_a, company_a, title="visit")
    Case.objects.filter(pk=visit.pk).update(assignee=colleague, status="awaiting_visit")
    closed = new_case(crm_a, company_a, title="closed")
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_at=now)
    Case.objects.filter(pk=mine.pk).update(resolve_due_at=now + datetime.timedelta(days=8))
    login(client, crm_a)
    expected = {
        "mine": [mine],
        "unassigned": [unassigned],
        "near_breach": [near],
        "breached": [breached],
        "escalated": [escalated],
        "awaiting_visit": [visit],
        "closed": [closed],
    }
    for view, cases in expected.items():
        response = client.get(reverse("complaints:queue"), {"view": view})
        assert response.status_code == 200
        assert numbers(response) == [c.number for c in cases], view
    every_open = numbers(client.get(reverse("complaints:queue"), {"view": "open"}))
    assert set(every_open) == {
        c.number for c in (mine, unassigned, near, breached, escalated, visit)
    }
    assert every_open[0] == breached.number  # by deadline, the overdue first
    page = client.get(reverse("complaints:queue"), {"view": "breached"})
    assert "overdue 2 h" in text_of(page) and 'data-testid="breach-badge"' in text_of(page)
    assert 'hx-trigger="every 30s"' in text_of(page)
    refresh = client.get(
        reverse("complaints:queue"),
        {"view": "breached"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in text_of(refresh) and breached.number in text_of(refresh)
    assert f'id="pick-{breached.pk}" hx-preserve="true"' in text_of(refresh)  # ticks survive
    near_page = client.get(reverse("complaints:queue"), {"view": "near_breach"})
    assert "29 min left" in text_of(near_page) or "30 min left" in text_of(near_page)


def test_the_queue_filters(client, crm_a, company_a, project_a):
    leak = new_case(
        crm_a, company_a, title="漏水", category=Category.objects.get(code="quality-leak")
    )
    praise = new_case(crm_a, company_a, title="表扬保安", type=Case.Type.PRAISE, project=project_a)
    login(client, crm_a)
    url = reverse("complaints:queue")
    assert numbers(client.get(url, {"type": "praise"})) == [praise.number]
    assert numbers(client.get(url, {"project": project_a.pk})) == [praise.number]
    parent = Category.objects.get(code="quality-leak").parent
    assert numbers(client.get(url, {"category": parent.pk})) == [leak.number]
    assert numbers(client.get(url, {"q": leak.number})) == [leak.number]
    assert numbers(client.get(url, {"q": "保安"})) == [praise.number]
    today = timezone.localdate().isoformat()
    assert len(numbers(client.get(url, {"received_from": today, "received_to": today}))) == 2
    # A filter that does not parse is refused on the form, never a 500, and never
    # dropped (that would widen the list): no case is shown.
    unread = client.get(url, {"received_from": "yesterday", "project": "x", "type": "praise"})
    assert unread.status_code == 200 and numbers(unread) == []
    assert "A filter cannot be applied, so no case is shown:" in text_of(unread)


def test_the_queue_is_for_crm_staff_and_managers_of_their_own_company(
    client, crm_a, crm_b, company_a, company_b, handler_a, manager_a, group_staff
):
    ours = new_case(crm_a, company_a)
    theirs = new_case(crm_b, company_b)
    url = reverse("complaints:queue")
    login(client, handler_a)
    assert client.get(url).status_code == 403
    login(client, manager_a)
    assert numbers(client.get(url)) == [ours.number]
    login(client, crm_b)
    assert numbers(client.get(url)) == [theirs.number]
    login(client, group_staff)
    assert set(numbers(client.get(url))) == {ours.number, theirs.number}


@pytest.mark.parametrize("size", [10, 200])
def test_a_queue_page_costs_at_most_ten_queries(
    client, crm_a, company_a, project_a, size, django_assert_max_num_queries
):
    customer = CustomerFactory(company=company_a)
    first = new_case(crm_a, company_a, customer=customer, project=project_a)
    rows = []
    for n in range(size - 1):
        rows.append(
            Case(
                company=company_a,
                project=project_a,
                customer=customer,
                assignee=crm_a,
                type="complaint",
                channel="hotline",
                title=f"案例{n}",
                description="—",
                number=f"T{n:08d}",
                category=first.category,
                resolve_due_at=first.resolve_due_at,
            )
        )
    Case.objects.bulk_create(rows)
    login(client, crm_a)
    client.get(reverse("complaints:queue"))  # warm the session and the settings
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("complaints:queue"), {"view": "open", "page": 2 if size > 50 else 1}
        )
    assert response.status_code == 200
    assert len(response.context["rows"]) == (50 if size > 50 else size)


def test_bulk_assign_gives_the_ticked_cases_to_a_colleague(client, crm_a, company_a, manager_a):
    colleague = make_staff(Role.COMPANY_CRM, company_a, username="crm_a2", name="赵敏")
    one, two = new_case(crm_a, company_a), new_case(crm_a, company_a)
    login(client, crm_a)
    response = client.post(
        reverse("complaints:assign"),
        {"cases": [one.pk, two.pk], "assignee": colleague.pk, "next": "/complaints/?view=mine"},
    )
    assert response.status_code == 302 and response.url == "/complaints/?view=mine"
    assert set(Case.objects.values_list("assignee", flat=True)) == {colleague.pk}
    history = Case.history.filter(id=one.pk).order_by("-history_date").first()
    assert history.assignee_id == colleague.pk and history.history_user == crm_a
    login(client, manager_a)
    assert client.post(reverse("complaints:assign"), {"cases": [one.pk]}).status_code == 403


def test_bulk_assign_refusals_say_why(client, crm_a, crm_b, company_a, company_b, fixer):
    case = new_case(crm_a, company_a)
    login(client, crm_a)
    nothing = client.post(reverse("complaints:assign"), {"assignee": crm_a.pk})
    assert nothing.status_code == 400 and "Tick the cases to assign." in text_of(nothing)
    # Not a colleague: a handler is not a choice, nor another company's CRM staff.
    for other in (fixer, crm_b):
        response = client.post(
            reverse("complaints:assign"), {"cases": [case.pk], "assignee": other.pk}
        )
        assert response.status_code == 400
    theirs = new_case(crm_b, company_b)
    response = client.post(
        reverse("complaints:assign"), {"cases": [theirs.pk], "assignee": crm_a.pk}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).assignee is None
    assert Case.objects.get(pk=theirs.pk).assignee is None


def test_case_assign_refuses_a_closed_case_and_someone_of_another_company(
    crm_a, crm_b, company_a, company_b
):
    from vanke_crm.errors import DomainError

    case = new_case(crm_a, company_a)
    with pytest.raises(DomainError):
        services.case_assign(cases=[case], assignee=crm_b, by=crm_a)
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(DomainError):
        services.case_assign(cases=[case], assignee=crm_a, by=crm_a)


# --- the case page ---------------------------------------------------------------


def test_the_case_page_is_not_there_for_another_company_or_a_handler(
    client, crm_a, crm_b, company_a, handler_a, manager_a
):
    case = new_case(crm_a, company_a)
    url = reverse("complaints:case", args=[case.pk])
    login(client, crm_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404
    login(client, handler_a)
    assert client.get(url).status_code == 404
    login(client, manager_a)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="action-accept"' not in text_of(page)
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "received"


def test_case_buttons_run_the_transition_and_refuse_with_the_reason(client, crm_a, company_a):
    case = new_case(crm_a, company_a)
    url = reverse("complaints:case", args=[case.pk])
    login(client, crm_a)
    page = client.get(url)
    assert 'data-testid="action-accept"' in text_of(page)
    assert 'data-testid="action-start"' not in text_of(page)
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "The case is accepted." in text_of(response)
    assert Case.objects.get(pk=case.pk).status == "accepted"
    again = client.post(url, {"action": "accept"})
    assert again.status_code == 400 and Case.objects.get(pk=case.pk).status == "accepted"
    no_reason = client.post(url, {"action": "cancel"})
    assert no_reason.status_code == 400 and "This field is required." in text_of(no_reason)
    cancelled = client.post(url, {"action": "cancel", "reason": "重复来电"})
    assert cancelled.status_code == 302 and Case.objects.get(pk=case.pk).status == "cancelled"
    history = client.get(url)
    assert "重复来电" in text_of(history) and "Accepted → Cancelled" in text_of(history)


def test_dispatch_from_the_case_page(client, crm_a, company_a, works, fixer):
    case = new_case(crm_a, company_a)
    url = reverse("complaints:case_dispatch", args=[case.pk])
    login(client, crm_a)
    due = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    nobody = client.post(url, {"due_at": due})
    assert nobody.status_code == 400 and "Send the task to a department or a handler." in text_of(
        nobody
    )
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    late = client.post(url, {"department": works.pk, "due_at": past})
    assert late.status_code == 400 and "The deadline must be in the future." in text_of(late)
    assert not Task.objects.exists()
    sent = client.post(
        url, {"assignee": fixer.pk, "due_at": due, "trade": "", "instructions": "上门"}
    )
    assert sent.status_code == 302
    task = Task.objects.get()
    assert task.assignee == fixer and task.instructions == "上门"
    assert Case.objects.get(pk=case.pk).status == "dispatched"
    page = client.get(reverse("complaints:case", args=[case.pk]))
    assert "李工" in text_of(page)


def test_internal_notes(client, crm_a, company_a, manager_a, crm_b):
    case = new_case(crm_a, company_a)
    url = reverse("complaints:case_note", args=[case.pk])
    login(client, crm_a)
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400 and not CaseNote.objects.exists()
    assert client.post(url, {"text": "客户下午三点后方便"}).status_code == 302
    login(client, manager_a)
    assert client.post(url, {"text": "请加快"}).status_code == 302
    page = client.get(reverse("complaints:case", args=[case.pk]))
    assert "客户下午三点后方便" in text_of(page) and "请加快" in text_of(page)
    login(client, crm_b)
    assert client.post(url, {"text": "x"}).status_code == 404


# --- the handler's task pages ----------------------------------------------------


def test_the_handler_works_a_task_from_the_phone_pages(client, crm_a, company_a, fixer):
    customer = CustomerFactory(company=company_a, mobile="+8613812345678")
    case = new_case(crm_a, company_a, customer=customer)
    task = services.case_dispatch(case=case, by=crm_a, assignee=fixer, due_at=later())
    url = reverse("complaints:task", args=[task.pk])
    login(client, fixer)
    listing = client.get(reverse("complaints:my_tasks"))
    assert listing.status_code == 200 and case.title in text_of(listing)
    page = client.get(url)
    assert "138****5678" in text_of(page) and "13812345678" not in text_of(page)
    assert 'capture="environment"' in text_of(page)
    assert client.post(url, {"action": "accept"}).status_code == 302
    assert client.post(url, {"action": "start"}).status_code == 302
    no_photo = client.post(url, {"action": "finish", "reason": "已修复"})
    assert no_photo.status_code == 400  # a repair is finished with a photo of the work
    not_a_photo = client.post(
        reverse("complaints:task_photo", args=[task.pk]),
        {"photo": SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg")},
    )
    assert not_a_photo.status_code == 400
    added = client.post(reverse("complaints:task_photo", args=[task.pk]), {"photo": photo()})
    assert added.status_code == 302
    no_note = client.post(url, {"action": "finish"})
    assert no_note.status_code == 400 and "This field is required." in text_of(no_note)
    done = client.post(url, {"action": "finish", "reason": "已修复防水层"}, follow=True)
    assert "The task is done." in text_of(done)
    assert Task.objects.get(pk=task.pk).status == "done"
    assert Case.objects.get(pk=case.pk).status == "resolved"
    # The photo is served to who may see the case or the task, and no one else.
    name = task.attachments.get().file.name
    assert client.get(f"/media/{name}").status_code == 200
    login(client, crm_a)
    assert client.get(f"/media/{name}").status_code == 200


def test_a_handler_never_sees_another_handlers_task(
    client, crm_a, crm_b, company_a, fixer, other_fixer
):
    case = new_case(crm_a, company_a)
    task = services.case_dispatch(case=case, by=crm_a, assignee=fixer, due_at=later())
    services.task_photo_add(task=task, by=fixer, upload=photo())
    name = task.attachments.get().file.name
    login(client, other_fixer)
    assert client.get(reverse("complaints:task", args=[task.pk])).status_code == 404
    assert (
        client.post(reverse("complaints:task", args=[task.pk]), {"action": "start"}).status_code
        == 404
    )
    assert case.title not in text_of(client.get(reverse("complaints:my_tasks")))
    assert client.get(f"/media/{name}").status_code == 404
    login(client, crm_b)
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(reverse("complaints:task", args=[task.pk])).status_code == 404
    assert Task.objects.get(pk=task.pk).status == "sent"


def test_sending_a_task_back_needs_a_reason(client, crm_a, company_a, fixer):
    case = new_case(crm_a, company_a)
    task = services.case_dispatch(case=case, by=crm_a, assignee=fixer, due_at=later())
    url = reverse("complaints:task", args=[task.pk])
    login(client, fixer)
    assert client.post(url, {"action": "send_back"}).status_code == 400
    response = client.post(url, {"action": "send_back", "reason": "不属于工程部"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "sent_back" and task.sent_back_reason == "不属于工程部"
    illegal = client.post(url, {"action": "start"})
    assert illegal.status_code in (400, 404)
    assert Task.objects.get(pk=task.pk).status == "sent_back"
