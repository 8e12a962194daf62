"""The queue at a million cases (issue 9, acceptance 9; decisions 0019 and 0024): each
open view reads its page off an index in its own order, never sorting a company's
open cases; its rows come from the cache until a case of the company changes, and a
change shows on the next request. Timings are measured by bench/complaints_bench.py."""

import json

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from complaints import bulk, selectors, services
from complaints.models import Case
from complaints.models.cases import OPEN_STATUSES
from org.models import Role
from tests.customers.factories import CustomerFactory, OwnershipFactory
from tests.factories import BuildingFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    return client


@pytest.fixture
def owners(company_a, project_a):
    building = BuildingFactory(project=project_a)
    for n in range(3):
        unit = UnitFactory(building=building, code=f"2-{n + 1:02d}01")
        OwnershipFactory(customer=CustomerFactory(company=company_a), unit=unit)


def plan_of(queryset, *, ordered_only=False) -> list:
    """The nodes of the plan PostgreSQL would run with sequential scans ruled out: only
    an index can then deliver the rows, and the plan shows whether it does so in order.
    `ordered_only`: sorting and bitmap scans ruled out too, so the plan shows which
    index the planner finds cheapest to walk in order (on the few rows of a test it
    may otherwise rightly sort them)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if ordered_only:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("ANALYZE complaints_case")
        plan = json.loads(queryset.explain(format="json"))[0]["Plan"]

    def walk(node):
        yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    return list(walk(plan))


def test_the_partial_indexes_name_every_open_status():
    assert set(OPEN_STATUSES) == {str(status) for status in Case.OPEN}


@pytest.fixture
def colleagues(company_a, crm_a):
    """Five customer-relations staff: the bulk cases go round them, a fifth are crm_a's."""
    others = [UserFactory(username=f"crm_a{n}") for n in range(4)]
    for user in others:
        MembershipFactory(user=user, company=company_a, role=Role.COMPANY_CRM)
    return [crm_a.pk, *(user.pk for user in others)]


def ordered_off_an_index(plan) -> set:
    """The queue indexes the plan reads; fails if it sorts."""
    assert not [n for n in plan if n["Node Type"] in ("Sort", "Incremental Sort")], plan
    return {n.get("Index Name") for n in plan} & {
        "case_queue_open",
        "case_queue_mine",
        "case_queue_open_all",
        "case_queue_incidents",
    }


# The narrower views (unassigned, escalated, awaiting the return visit) read
# case_queue_open too at a million cases (EXPLAIN in bench/README.md); on the few
# thousand rows of a test the planner rightly sorts their few dozen instead.
@pytest.mark.parametrize("view", ["open", "mine", "incidents"])
def test_each_open_view_reads_its_page_off_an_index_in_its_order(
    view, owners, company_a, crm_a, colleagues
):
    bulk.insert_cases(company_a, 3000, owners=colleagues)
    assert ordered_off_an_index(plan_of(selectors.case_queue(crm_a, view=view)[:50]))


def test_group_staff_read_every_company_off_one_index(owners, company_a, group_staff):
    bulk.insert_cases(company_a, 3000)
    plan = plan_of(selectors.case_queue(group_staff, view="open")[:50])
    assert ordered_off_an_index(plan) == {"case_queue_open_all"}


def rows_of(response) -> list[str]:
    html = response.content.decode()
    return [
        part.split('"', 1)[0] for part in html.split('data-testid="case-row" data-number="')[1:]
    ]


def intake(company, crm, title):
    return services.case_create(
        company=company,
        by=crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title=title,
        description="业主来电",
        caller_name="陈先生",
        caller_mobile="13900000001",
    )


def test_a_new_case_shows_in_the_cached_queue_at_once(client, company_a, crm_a):
    first = intake(company_a, crm_a, "电梯异响")
    login(client, crm_a)
    url = reverse("complaints:queue")
    assert rows_of(client.get(url)) == [first.number]
    assert rows_of(client.get(url)) == [first.number]  # from the cache now
    second = intake(company_a, crm_a, "车库漏水")
    assert set(rows_of(client.get(url))) == {first.number, second.number}


def status_of(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="case-status">', 1)[1].split("<", 1)[0]


def test_a_status_change_and_an_escalation_show_at_once(client, company_a, crm_a):
    case = intake(company_a, crm_a, "电梯异响")
    login(client, crm_a)
    url = reverse("complaints:queue")
    with translation.override("zh-hans"):
        received, accepted = str(Case.Status.RECEIVED.label), str(Case.Status.ACCEPTED.label)
    assert received != accepted
    assert status_of(client.get(url)) == received
    assert status_of(client.get(url)) == received  # from the cache now
    services.case_act(case=case, action="accept", by=crm_a)
    assert status_of(client.get(url)) == accepted
    assert rows_of(client.get(url, {"view": "escalated"})) == []
    # The sweeper's escalation is an UPDATE without signals: it moves the cache on too.
    services.escalate_to_company(case, reason="已超期")
    assert rows_of(client.get(url, {"view": "escalated"})) == [case.number]


def test_mine_is_each_colleagues_own(client, company_a, crm_a):
    colleague = UserFactory(username="crm_a2", name="周敏")
    MembershipFactory(user=colleague, company=company_a, role=Role.COMPANY_CRM)
    case = intake(company_a, crm_a, "电梯异响")
    services.case_assign(cases=[case], assignee=crm_a, by=crm_a)
    url = reverse("complaints:queue")
    assert rows_of(login(client, crm_a).get(url, {"view": "mine"})) == [case.number]
    assert rows_of(login(client, colleague).get(url, {"view": "mine"})) == []


def test_another_company_never_reads_the_cached_page(client, company_a, crm_a, crm_b):
    case = intake(company_a, crm_a, "电梯异响")
    url = reverse("complaints:queue")
    assert rows_of(login(client, crm_a).get(url)) == [case.number]
    assert rows_of(login(client, crm_b).get(url)) == []


def test_the_cases_api_page_costs_the_same_with_many_cases(
    client, owners, company_a, crm_a, colleagues
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import Department

    engineering = Department.objects.create(company=company_a, kind="engineering", name="工程部")
    login(client, crm_a)
    url = reverse("case-list")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    bulk.insert_cases(company_a, 10, owners=colleagues)
    bulk.insert_tasks(company_a, [], engineering.pk)
    few, rows = cost()
    assert rows == 10
    bulk.insert_cases(company_a, 300, start=10, owners=colleagues)
    bulk.insert_tasks(company_a, [], engineering.pk)
    many, rows = cost()
    assert rows == 50
    # Each case's `actions` read its tasks: prefetched once, not a query per case.
    assert many == few <= 8


def test_each_sweeper_step_claims_off_its_own_index(owners, company_a):
    """A claim reads only the cases its step has not handled: walking past every case
    handled before cost 200-350 ms a batch at a million cases (bench/complaints_bench.py)."""
    from complaints.services import sweep

    bulk.insert_cases(company_a, 3000)  # the overdue ones come already flagged
    now = timezone.now()
    steps = [
        (sweep.near(company_a, now), "warned_at", "case_sweep_warn"),
        (sweep.breached(now), "escalated_company_at", "case_sweep_company"),
        (sweep.long_overdue(now), "escalated_group_at", "case_sweep_group"),
    ]
    for queryset, field, index in steps:
        plan = plan_of(sweep.unhandled(queryset, field)[:200], ordered_only=True)
        read = {n.get("Index Name") for n in plan} - {None}
        assert index in read, (index, read)


def test_a_handlers_first_tasks_are_their_own_and_their_pools_by_deadline(
    owners, company_a, engineer, other_engineer, engineering
):
    from django.db.models import Q

    from complaints.models import Task

    bulk.insert_cases(company_a, 3000)
    bulk.insert_tasks(company_a, [engineer.pk, other_engineer.pk], engineering.pk)
    open_ = Task.objects.filter(status__in=Task.OPEN).order_by("pk")
    pool = list(open_.values_list("pk", flat=True)[:15])
    Task.objects.filter(pk__in=pool).update(assignee=None)  # sent to the department

    def theirs(statuses):
        """What the list means, as one query: the handler's own and their pool's."""
        return list(
            Task.objects.for_user(engineer)
            .filter(Q(assignee=engineer) | Q(assignee__isnull=True, department=engineering))
            .filter(status__in=statuses)
            .order_by("due_at", "pk")
        )

    reference = theirs(Task.OPEN)
    assert len(reference) > 30 and {t.pk for t in reference} & set(pool)
    first = selectors.first_tasks(engineer, limit=30)
    assert [t.pk for t in first] == [t.pk for t in reference[:30]]
    assert all(t.assignee_id in (engineer.pk, None) for t in first)
    done = selectors.first_tasks(engineer, done=True, limit=10)
    assert [t.pk for t in done] == [t.pk for t in theirs([Task.Status.DONE])[:10]]
