"""Issue 8 item 10: the customer list stays fast at 200k customers (decision 0019) —
page numbers with a count that does not scan every row, an index in the list's own
order, public pages from the cache. Timings are measured by bench/pages.py, never here."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers import selectors
from customers.models import Customer, RiskItem
from customers.services import disclosure
from vanke_crm import listcache, paging

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "en"
    return client


def many(company, n):
    start = Customer.objects.count()
    rows = Customer.objects.bulk_create(
        [
            Customer(
                company=company, name="张三", mobile=f"+8613700{i:06d}", name_pinyin="zhangsan"
            )
            for i in range(start, start + n)
        ]
    )
    listcache.touch(company.pk)  # bulk inserts send no signal (vanke_crm.listcache)
    return rows


def list_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("customers:list"), params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_list_query_count_does_not_grow_with_the_rows(client, crm_a, company_a):
    many(company_a, 3)
    login(client, crm_a)
    few, _html = list_queries(client)
    many(company_a, 200)
    more, html = list_queries(client)
    assert more == few
    assert html.count('data-testid="customer-row"') == 50


def test_list_shows_page_numbers_around_the_current_page(client, crm_a, company_a):
    many(company_a, 50 * 12)
    login(client, crm_a)
    _n, html = list_queries(client, page=6)
    assert '<span aria-current="page" class="current">6</span>' in html
    for number in (1, 4, 5, 7, 8, 12):
        assert f'page={number}"' in html
    for number in (2, 3, 9, 10, 11):  # elided: 1 … 4 5 [6] 7 8 … 12
        assert f'page={number}"' not in html
    assert html.count("…") >= 2
    assert "600 customers" in html
    assert 'data-testid="pages-estimated"' not in html


def test_above_the_threshold_the_count_is_an_estimate_said_as_such(
    client, crm_a, company_a, monkeypatch
):
    monkeypatch.setattr(paging.Paginator, "exact_up_to", 100)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 400)
    many(company_a, 180)
    login(client, crm_a)
    _n, html = list_queries(client)
    assert "about 400 customers" in html
    assert 'data-testid="pages-estimated"' in html
    assert "about 8 pages" in html
    # The real end corrects the estimate: page 4 holds the last 30 rows.
    _n, html = list_queries(client, page=4)
    assert html.count('data-testid="customer-row"') == 30
    assert "180 customers" in html and "about" not in html.split("customer-count")[1][:80]


def test_a_page_past_the_real_end_of_an_estimate_shows_the_last_page(
    client, crm_a, company_a, monkeypatch
):
    monkeypatch.setattr(paging.Paginator, "exact_up_to", 100)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 5000)
    many(company_a, 120)
    login(client, crm_a)
    _n, html = list_queries(client, page=60)
    assert html.count('data-testid="customer-row"') == 20
    assert "120 customers" in html


def test_the_estimate_comes_from_the_planner_without_reading_rows(company_a):
    many(company_a, 30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        estimate = paging.planner_rows(Customer.objects.filter(company=company_a))
    # After ANALYZE the planner knows the 30 rows; the only query is an EXPLAIN.
    assert 25 <= estimate <= 35
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["EXPLAIN"]


def test_api_pages_say_whether_the_count_is_exact(client, crm_a, company_a, monkeypatch):
    many(company_a, 60)
    login(client, crm_a)
    body = client.get(reverse("customer-list")).json()
    assert body["count"] == 60 and body["count_is_exact"] is True
    monkeypatch.setattr(paging.Paginator, "exact_up_to", 10)
    monkeypatch.setattr(paging, "planner_rows", lambda queryset: 900)
    listcache.touch(company_a.pk)  # the paging rules changed, not the rows: page again
    body = client.get(reverse("customer-list")).json()
    assert body["count"] == 900 and body["count_is_exact"] is False
    assert len(body["results"]) == 50 and body["next"]


def plan_of(queryset) -> dict:
    """The plan PostgreSQL would run, sequential scans ruled out: only an index can
    then deliver the rows, and the plan shows whether one delivers them in order."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE customers_customer")
        return json.loads(queryset.explain(format="json"))[0]["Plan"]


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


@pytest.mark.parametrize("who", ["crm_a", "group_staff"])
def test_the_list_reads_an_index_in_its_own_order(who, request, company_a, company_b):
    many(company_a, 400)
    CustomerFactory(company=company_b)
    user = request.getfixturevalue(who)
    page = selectors.customer_list(user)[:50]
    plan = list(nodes(plan_of(page)))
    assert not [n for n in plan if n["Node Type"] in ("Sort", "Incremental Sort")], plan
    indexes = {n.get("Index Name") for n in plan}
    assert indexes & {"customer_list_company", "customer_list_all"}, plan


# --- public pages ----------------------------------------------------------------------


def test_public_risk_page_is_served_from_the_cache(client, project_a):
    RiskItem.objects.create(
        project=project_a, kind=RiskItem.Kind.SUBSTATION, title="110kV变电站", is_published=True
    )
    url = reverse("customers:public_risk", args=[project_a.code])
    assert "110kV变电站" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and "110kV变电站" in response.content.decode()
    assert len(queries) == 0
    # Each response still carries its own CSP nonce: only the article is cached.
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in html
    assert "__csrf-token__" not in html and "\x00" not in html
    other = client.get(url)
    assert other["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_the_cached_page_keeps_a_working_language_switch(client, project_a):
    RiskItem.objects.create(
        project=project_a, kind=RiskItem.Kind.SUBSTATION, title="110kV变电站", is_published=True
    )
    url = reverse("customers:public_risk", args=[project_a.code])
    client.get(url)
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.get(url)  # from the cache: its token must be the visitor's own
    html = csrf_client.get(url).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = csrf_client.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_signed_in_staff_get_their_own_page_around_the_cached_article(client, crm_a, project_a):
    url = reverse("customers:public_risk", args=[project_a.code])
    client.get(url)  # anonymous: cached whole
    login(client, crm_a)
    html = client.get(url).content.decode()
    assert crm_a.display_name in html


def test_publishing_and_unpublishing_refreshes_the_cached_public_page(client, crm_a, project_a):
    item = RiskItem.objects.create(
        project=project_a, kind=RiskItem.Kind.SUBSTATION, title="垃圾转运站", is_published=False
    )
    url = reverse("customers:public_risk", args=[project_a.code])
    assert "垃圾转运站" not in client.get(url).content.decode()  # now cached
    disclosure.risk_item_publish(item=item, by=crm_a)
    assert "垃圾转运站" in client.get(url).content.decode()
    disclosure.risk_item_update(
        item=item,
        by=crm_a,
        kind=item.kind,
        title="垃圾转运站（已迁）",
        distance_m=900,
        inside_site=False,
        description="已迁至园区外。",
    )
    assert "垃圾转运站（已迁）" in client.get(url).content.decode()
    disclosure.risk_item_unpublish(item=item, by=crm_a)
    assert "垃圾转运站" not in client.get(url).content.decode()


def test_a_refused_publish_leaves_the_cached_page_alone(client, crm_b, project_a):
    item = RiskItem.objects.create(
        project=project_a, kind=RiskItem.Kind.SUBSTATION, title="垃圾转运站", is_published=False
    )
    url = reverse("customers:public_risk", args=[project_a.code])
    client.get(url)
    with pytest.raises(Exception):  # noqa: B017 - another company's staff: refused
        disclosure.risk_item_publish(item=item, by=crm_b)
    assert "垃圾转运站" not in client.get(url).content.decode()


def test_progress_page_is_cached_and_refreshed_on_publish(client, crm_a, project_a):
    from customers.models import ProgressMilestone

    milestone = ProgressMilestone.objects.create(
        project=project_a, date="2025-05-20", title="主体封顶", percent=60, is_published=False
    )
    url = reverse("customers:public_progress", args=[project_a.code])
    assert "主体封顶" not in client.get(url).content.decode()
    disclosure.milestone_publish(milestone=milestone, by=crm_a)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert "主体封顶" in first and len(queries) > 0
    with CaptureQueriesContext(connection) as queries:
        assert "主体封顶" in client.get(url).content.decode()
    assert len(queries) == 0


def test_an_unknown_project_is_still_a_404(client):
    assert client.get(reverse("customers:public_risk", args=["nope"])).status_code == 404


def test_choice_labels_follow_the_language(company_a):
    from django.utils import translation

    customer = CustomerFactory(company=company_a, kind=Customer.Kind.OWNER)
    with translation.override("en"):
        assert customer.get_kind_display() == "Owner"
    with translation.override("zh-hans"):
        assert customer.get_kind_display() == str(Customer.Kind.OWNER.label)
        assert customer.get_kind_display() != "Owner"
    customer.kind = "not-a-choice"
    assert customer.get_kind_display() == "not-a-choice"
