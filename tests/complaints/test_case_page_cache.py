"""The case page's read-only parts (tasks, photos, notes, history) come from the cache
while nothing they show has changed, and every way of changing them shows on the next
request (complaints/caching.py, decision 0028): a task sent, started, transferred or
cancelled by the case's cancellation (an UPDATE without signals), a note, a photo, an
escalation (a raw UPDATE and a bulk INSERT of events), the hand-off of a reopened case
(a bulk INSERT), a rename of a handler or a department. A colleague's write to another
case leaves the page cached, and a sign-in (which saves the user) does too."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services
from complaints.models import Case, Task
from complaints.services import visits
from tests.complaints import test_query_counts
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# A case worked through several steps (tasks, a photo, notes, events): that test's.
world = test_query_counts.world
login, photo = test_query_counts.login, test_query_counts.photo


def page(client, case) -> str:
    response = client.get(reverse("complaints:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def cost(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, case)
    return len(captured)


@pytest.fixture
def cached(client, world, crm_a):
    """The case page seen once, so that its parts are in the cache; returns what a
    request costs with them cached."""
    login(client, crm_a)
    page(client, world["case"])
    cache.delete_pattern("listcache:part:*")
    built = cost(client, world["case"])
    hit = cost(client, world["case"])
    assert hit < built, (hit, built)  # the parts came from the cache
    return hit


def test_the_parts_come_from_the_cache_and_a_write_elsewhere_leaves_them(
    client, world, cached, company_a, crm_a
):
    other = services.case_create(
        company=company_a,
        by=crm_a,
        type=Case.Type.CONSULTATION,
        channel=Case.Channel.HOTLINE,
        title="咨询物业费",
        description="物业费怎么交",
        caller_name="张先生",
    )
    services.case_note_add(case=other, by=crm_a, text="别的工单的备注")
    assert cost(client, world["case"]) == cached
    assert "别的工单的备注" not in page(client, world["case"])


def test_a_task_sent_started_or_transferred_shows_at_once(
    client, world, cached, crm_a, engineer, other_engineer, engineering
):
    case = world["case"]
    due = timezone.now() + datetime.timedelta(days=3)
    second = services.case_dispatch(
        case=case,
        by=crm_a,
        department=engineering,
        assignee=other_engineer,
        due_at=due,
        instructions="检查楼上防水层",
    )
    html = page(client, case)
    assert "检查楼上防水层" in html and "王工" in html
    services.task_act(task=second, action="accept", by=other_engineer)
    with translation.override("zh-hans"):
        accepted = str(Task.Status.ACCEPTED.label)
    assert f'<span class="pill">{accepted}</span>' in page(client, case)
    rows = tasks_of(page(client, case)).count("<tr>")
    services.task_transfer(task=second, by=crm_a, due_at=due, assignee=engineer, reason="王工休假")
    html = page(client, case)
    assert "王工休假" in html  # the transfer in the history
    assert tasks_of(html).count("<tr>") == rows + 1  # and the new task in the table


def tasks_of(html: str) -> str:
    return html.split('data-testid="case-tasks"', 1)[1].split("</table>", 1)[0]


def dispatched(company, crm, engineering, engineer) -> Case:
    """A new case with a task sent (not started yet)."""
    case = services.case_create(
        company=company,
        by=crm,
        type=Case.Type.REPAIR,
        channel=Case.Channel.HOTLINE,
        title="入户门关不上",
        description="门锁卡住",
        caller_name="陈女士",
    )
    case = services.case_act(case=case, action="accept", by=crm)
    services.case_dispatch(
        case=case,
        by=crm,
        department=engineering,
        assignee=engineer,
        due_at=timezone.now() + datetime.timedelta(days=2),
    )
    return case


def test_a_note_and_a_photo_show_at_once(client, world, cached, crm_a, engineer):
    case = world["case"]
    services.case_note_add(case=case, by=crm_a, text="业主改约周日上午")
    assert "业主改约周日上午" in page(client, case)
    before = page(client, case).count("<figure")
    services.task_photo_add(task=world["task"], by=engineer, upload=photo())
    assert page(client, case).count("<figure") == before + 1


def test_an_escalation_shows_in_the_history_at_once(client, world, cached, crm_a):
    """The escalation sets its columns with one UPDATE and writes its history lines with
    one INSERT: neither sends a model signal."""
    case = world["case"]
    assert services.escalate_to_company(case, reason="业主多次来电")
    html = page(client, case)
    assert "已升级至公司" in html and "业主多次来电" in html


def test_the_hand_off_of_a_reopened_case_shows_at_once(client, world, cached, manager_a):
    case = world["case"]
    visits.reopen_to_manager(case, by=None)
    assert manager_a.display_name in page(client, case)


def test_cancelling_the_case_shows_its_tasks_cancelled(
    client, cached, company_a, crm_a, engineering, engineer
):
    """Cancelling a case cancels its open tasks with one UPDATE (no signal)."""
    case = dispatched(company_a, crm_a, engineering, engineer)
    with translation.override("zh-hans"):
        cancelled = str(Task.Status.CANCELLED.label)
    assert cancelled not in tasks_of(page(client, case))
    services.case_act(case=case, action="cancel", by=crm_a, reason="重复登记")
    assert not case.tasks.exclude(status="cancelled").exists()
    assert cancelled in tasks_of(page(client, case))


def test_a_renamed_handler_or_department_shows_at_once(
    client, world, cached, engineer, engineering
):
    case = world["case"]
    engineer.name = "李大工"
    engineer.save()
    assert "李大工" in tasks_of(page(client, case))  # (the dispatch form lists him too)
    engineering.name = "工程管理部"
    engineering.save()
    assert "工程管理部" in tasks_of(page(client, case))


def test_a_sign_in_leaves_the_parts_cached(client, world, cached, crm_a, engineer):
    from django.test import Client

    Client().force_login(engineer)  # saves engineer.last_login only
    assert cost(client, world["case"]) == cached


def test_a_manager_and_a_crm_colleague_each_see_their_own_links(
    client, cached, company_a, crm_a, manager_a, engineering, engineer
):
    """Customer relations see a sent task's transfer and split links; a manager reading
    the same case (its parts cached by then) sees none."""
    case = dispatched(company_a, crm_a, engineering, engineer)
    assert 'data-testid="task-transfer"' in page(client, case)
    login(client, manager_a)
    html = page(client, case)
    assert "入户门关不上" in html and tasks_of(html).count("<tr>") == 2
    assert 'data-testid="task-transfer"' not in html


def test_without_the_cache_the_page_is_built_every_time(client, world, crm_a, settings):
    """A cache that keeps nothing (as when Redis is down) builds the parts each time."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    login(client, crm_a)
    case = world["case"]
    assert "已联系业主，约好周六上门" in page(client, case)
    services.case_note_add(case=case, by=crm_a, text="缓存停了也能看到")
    assert "缓存停了也能看到" in page(client, case)


def test_a_colleague_of_another_role_is_not_given_the_page(client, world, cached, company_b):
    """The cache never answers before the access check: a CRM user of another company
    gets 404 for the case whose parts are cached."""
    stranger = UserFactory(username="crm_elsewhere")
    MembershipFactory(user=stranger, company=company_b, role="company_crm")
    login(client, stranger)
    response = client.get(reverse("complaints:case", args=[world["case"].pk]))
    assert response.status_code == 404
    assert "卫生间渗水" not in response.content.decode()


def dispatch_form_of(html: str) -> str:
    return html.split('data-testid="dispatch-form"', 1)[1].split("</form>", 1)[0]


def test_the_dispatch_form_lists_a_new_or_renamed_handler_and_drops_a_deactivated_one(
    client, world, cached, company_a, engineering, other_engineer
):
    """The dispatch form's departments and handlers come from the cache too (per
    company): a handler joining, a department added or renamed, a handler renamed or
    deactivated all show on the next request."""
    from org.models import Department, Role

    case = world["case"]
    form = dispatch_form_of(page(client, case))
    assert "王工" in form and "物业部" not in form
    newcomer = UserFactory(username="engineer_c", name="赵工")
    MembershipFactory(user=newcomer, company=company_a, role=Role.HANDLER, department=engineering)
    assert "赵工" in dispatch_form_of(page(client, case))
    Department.objects.create(company=company_a, kind="property", name="物业部")
    assert "物业部" in dispatch_form_of(page(client, case))
    newcomer.name = "赵师傅"
    newcomer.save(update_fields=["name"])
    assert "赵师傅" in dispatch_form_of(page(client, case))
    other_engineer.is_active = False
    other_engineer.save(update_fields=["is_active"])
    assert "王工" not in dispatch_form_of(page(client, case))


def test_a_handler_deactivated_after_the_form_was_drawn_is_refused(
    client, world, cached, crm_a, other_engineer
):
    """The choices drawn come from the cache, what is posted is checked against the
    company's active handlers now."""
    import datetime as dt

    case = world["case"]
    assert "王工" in dispatch_form_of(page(client, case))
    other_engineer.is_active = False
    other_engineer.save(update_fields=["is_active"])
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    before = case.tasks.count()
    response = client.post(
        reverse("complaints:case_dispatch", args=[case.pk]),
        {"assignee": other_engineer.pk, "due_at": due, "instructions": "复查"},
    )
    assert response.status_code in (200, 400, 422)
    assert case.tasks.count() == before
