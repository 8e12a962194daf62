"""Walk the product the way each kind of user does: start at their home page, follow
every same-site link breadth-first (GET only) and fail on what a person would notice:
a server error, a broken link, a page without a title or heading, a Django error
page, a raw template tag, or an English UI word on a page shown in Chinese."""

import datetime
import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts.models import User
from accounts.portal import link_owner
from customers.models import Customer, Ownership, RiskItem, WorkPoint
from customers.services import (
    customer_merge,
    customer_update,
    disclosure,
    ownership_cancel,
    ownership_contract,
    ownership_create,
    revisits_sweep,
    visit_register,
    workpoint_tick,
)
from customers.services.segments import segment_create
from customers.validators import make_id_number
from customers.workpoints import ensure_default_workpoints
from demo.registry import SeedContext
from notifications.models import Channel
from notifications.services import message_deliver, message_send
from org import demo as org_demo
from org.models import Company, Project, Role, Unit

BACKEND = "accounts.backends.UsernameOrMobileBackend"
MAX_PAGES = 150
# Pages of one view that differ only in their ids or query values look alike: a few
# of each are enough to find what is wrong with the template, and the crawl stays fast.
PER_ROUTE = 4
SKIP_PREFIXES = (
    "/admin/",  # Django's own admin, translated by Django
    "/api/",  # JSON and the Swagger UI
    "/accounts/logout/",  # would end the session (and is a POST anyway)
    "/i18n/",  # the language switch is a POST form
    "/static/",  # files, not pages (not collected in the test settings)
    "/media/",  # uploaded files, not pages (tests/test_media.py)
)
OWNER_MOBILE = "+8613912340001"

# ASCII words of four or more letters that may stand on a Chinese page.
ALLOWED_WORDS = {
    "API",  # the API docs link: the name of the thing
    "Excel",  # the file format of imports and exports
    # Names of file formats and extensions: written the same way in Chinese.
    "xlsx",  # "下载模板 (.xlsx)", "导出 (.xlsx)"
    "JPEG",  # "JPEG、PNG 或 WebP" (picture upload help)
    "WebP",
    "English",  # the language switch offers English in English
}

TEXT_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
URL_OR_EMAIL = re.compile(r"(?:https?://|/)[^\s<>\"']*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
# A token is letters, digits and underscores, hyphen-joined. Hyphenated tokens are
# codes (sz-wkc, 3-2-1201) and the logins' usernames (sz_crm) are data; in any other
# token each underscore-separated part of four or more letters is a word.
TOKEN = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*", re.ASCII)
WORD = re.compile(r"[A-Za-z]{4,}", re.ASCII)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
DEBUG_MARKERS = ("Traceback (most recent call last)", "Exception Value:", "technical_500")


class Page(HTMLParser):
    """What a person sees on a page: its links, title, headings and visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.hx, self.text, self.title, self.h1 = [], [], [], [], []
        self._skip = 0
        self._in = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.hx.append(attrs["hx-get"])
        for name in TEXT_ATTRIBUTES:
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])
        if tag in ("title", "h1"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if tag in ("title", "h1") and tag in self._in:
            self._in.remove(tag)

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if "title" in self._in:
            self.title.append(data)
        if "h1" in self._in:
            self.h1.append(data)


def english_words(text: str, usernames=frozenset()) -> set[str]:
    text = URL_OR_EMAIL.sub(" ", text)
    words = set()
    for token in TOKEN.findall(text):
        if token in usernames or "-" in token:
            continue
        # an identifier such as risk_disclosure shown as is is English too
        for part in token.split("_"):
            if WORD.fullmatch(part) and part not in ALLOWED_WORDS:
                words.add(part)
    return words


def route_of(path: str, query: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    keys = ",".join(sorted({part.split("=")[0] for part in query.split("&") if part}))
    return f"{match.view_name}?{keys}"


def page_problems(html, page, where, *, htmx=False, chinese=True, usernames=frozenset()):
    problems = []
    if not htmx and not "".join(page.title).strip():
        problems.append(f"{where}: no <title>")
    if not htmx and not "".join(page.h1).strip():
        problems.append(f"{where}: no <h1>")
    if any(marker in html for marker in DEBUG_MARKERS):
        problems.append(f"{where}: shows a Django error page")
    if "{{" in (markup := SCRIPT.sub("", html)) or "{%" in markup:
        problems.append(f"{where}: shows a raw template tag")
    if chinese and (words := english_words("\n".join(page.text), usernames)):
        problems.append(f"{where}: English words {sorted(words)}")
    return problems


def crawl(client, starts, *, who, chinese=True, max_pages=MAX_PAGES):
    """Breadth-first over same-site links from `starts`; returns the problems found.
    `hx-get` targets are fetched as htmx does (a fragment: no title or heading)."""
    usernames = frozenset(User.objects.values_list("username", flat=True))
    problems, seen, per_route = [], set(), {}
    queue = deque((url, False) for url in starts)
    fetched = 0
    while queue and fetched < max_pages:
        url, htmx = queue.popleft()
        if (url, htmx) in seen:
            continue
        seen.add((url, htmx))
        parts = urlsplit(url)
        route = (route_of(parts.path, parts.query), htmx)
        per_route[route] = per_route.get(route, 0) + 1
        if per_route[route] > PER_ROUTE:
            continue
        fetched += 1
        where = f"{who} {url}" + (" (htmx)" if htmx else "")
        try:
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        except Exception as exc:  # the test client re-raises a view's exception
            problems.append(f"{where}: server error {type(exc).__name__}: {exc}")
            continue
        status = response.status_code
        if status >= 500:
            problems.append(f"{where}: status {status}")
            continue
        if status in (301, 302, 303, 307, 308):
            if link := _same_site(url, response["Location"]):
                queue.append((link, False))
            continue
        if status >= 400:
            problems.append(f"{where}: status {status} (a link leads nowhere)")
        if "text/html" not in response.get("Content-Type", ""):
            continue  # downloads (exports, templates) are fetched, not read
        html = response.content.decode()
        page = Page()
        page.feed(html)
        problems += page_problems(
            html, page, where, htmx=htmx, chinese=chinese, usernames=usernames
        )
        if 'class="errorlist' in html or 'class="message error' in html:
            problems.append(f"{where}: a link leads to an error message")
        for href, as_htmx in [(h, False) for h in page.links] + [(h, True) for h in page.hx]:
            link = _same_site(url, href)
            if link and (link, as_htmx) not in seen:
                queue.append((link, as_htmx))
    return problems, fetched


def _same_site(base, href):
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    absolute, _fragment = urldefrag(urljoin("http://testserver" + base, href))
    parts = urlsplit(absolute)
    if parts.netloc != "testserver" or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _cases(company, crm, customer):
    """Cases in a few states: one received, one with a task for the engineer, one
    closed after its return visit (the queue, the case page and the task pages)."""
    from complaints.services import case_act, case_create, case_dispatch, case_note_add

    def new(title, **extra):
        return case_create(
            company=company,
            by=crm,
            type="complaint",
            channel="hotline",
            title=title,
            description="业主来电反映。",
            customer=customer,
            **extra,
        )

    new("小区路灯不亮")
    leak = case_act(case=new("卫生间漏水"), action="accept", by=crm)
    case_note_add(case=leak, by=crm, text="业主下午在家")
    case_dispatch(
        case=leak,
        by=crm,
        assignee=User.objects.get(username="sz_engineer"),
        due_at=timezone.now() + datetime.timedelta(days=2),
        instructions="上门查看",
    )
    praise = new("表扬保安", caller_name="王先生")
    case_act(case=praise, action="cancel", by=crm, reason="重复来电")


@pytest.fixture
def product(db):
    """The demo organisation and a few customers of 深圳万科 in every interesting state,
    made through the services like the product makes them."""
    org_demo.seed(SeedContext())
    ensure_default_workpoints()
    today = timezone.localdate()
    sz = Company.objects.get(code="sz")
    crm = User.objects.get(username="sz_crm")
    project = Project.objects.get(code="sz-wkc")
    units = iter(Unit.objects.filter(building__project=project).order_by("pk"))

    visit_register(project=project, by=crm, name="陈小明", mobile="+8615000000001", needs="两房")

    buyer = visit_register(project=project, by=crm, name="张三", mobile="+8615000000002").customer
    own = ownership_create(
        customer=buyer,
        unit=next(units),
        by=crm,
        subscribed_on=today - datetime.timedelta(days=30),
        delivery_due_on=today + datetime.timedelta(days=400),
        price=3_800_000,
    )
    ownership_contract(ownership=own, contracted_on=today - datetime.timedelta(days=20), by=crm)
    for point in WorkPoint.objects.filter(company=None, step=buyer.step)[:2]:
        workpoint_tick(customer=buyer, work_point=point, by=crm)

    veteran = visit_register(project=project, by=crm, name="李四", mobile=OWNER_MOBILE).customer
    ownership_create(
        customer=veteran,
        unit=next(units),
        by=crm,
        subscribed_on=today - datetime.timedelta(days=365 * 6),
        contracted_on=today - datetime.timedelta(days=365 * 6 - 10),
        handover_on=today - datetime.timedelta(days=365 * 5),
    )
    revisits_sweep(today=today)

    original = visit_register(project=project, by=crm, name="王五", mobile="+8615000000004")
    twin = visit_register(project=project, by=crm, name="王五", mobile="+8615000000005")
    customer_merge(source=twin.customer, target=original.customer, by=crm)
    # the same person typed twice and not merged yet: the duplicates report lists them
    same_id = make_id_number("44030519800101123")
    for mobile in ("+8615000000007", "+8615000000008"):
        typed = visit_register(project=project, by=crm, name="孙七", mobile=mobile).customer
        customer_update(customer=typed, by=crm, id_number=same_id)

    leaving = visit_register(project=project, by=crm, name="赵六", mobile="+8615000000006")
    pending = ownership_create(
        customer=leaving.customer,
        unit=next(units),
        by=crm,
        subscribed_on=today - datetime.timedelta(days=60),
        contracted_on=today - datetime.timedelta(days=50),
    )
    ownership_cancel(ownership=pending, by=crm, reason="家庭原因，资金不足")

    risk = disclosure.risk_item_create(
        project=project,
        by=crm,
        kind=RiskItem.Kind.SUBSTATION,
        inside_site=False,
        title="110kV变电站",
        distance_m=420,
        description="项目东北侧约420米处有一座110kV变电站。",
    )
    disclosure.risk_item_publish(item=risk, by=crm)
    milestone = disclosure.milestone_create(
        project=project,
        by=crm,
        date=today - datetime.timedelta(days=10),
        title="主体封顶",
        description="全部楼栋主体结构封顶。",
        percent=60,
    )
    disclosure.milestone_publish(milestone=milestone, by=crm)
    segment_create(company=sz, name="已签约业主", filters={"kind": ["owner"]}, by=crm)
    _cases(sz, crm, buyer)

    for staff in User.objects.filter(kind=User.Kind.STAFF):
        # a link the recipient may open: the customer for customer staff, else their tasks
        sees_customer = staff.scope.has_role(Role.COMPANY_CRM, Role.MANAGER, company_id=sz.pk)
        message = message_send(
            channel=Channel.INBOX,
            recipient=staff,
            template="crawl",
            subject="新的客户来访",
            body="张三今天来访万科城，请跟进。",
            link=reverse("customers:detail", args=[buyer.pk])
            if sees_customer
            else reverse("org:my_tasks"),
        )
        message_deliver(message_id=message.pk)

    owner = User.objects.create_user(
        username="owner_8613912340001", mobile=OWNER_MOBILE, kind=User.Kind.OWNER, name="李四"
    )
    link_owner(owner)
    assert Customer.objects.filter(merged_into__isnull=False).count() == 1
    assert Ownership.objects.filter(status=Ownership.Status.CANCEL_PENDING).count() == 1
    return {"project": project, "owner": owner}


@pytest.mark.django_db
def test_every_kind_of_user_can_walk_the_product(client, product):
    code = product["project"].code
    public = [
        reverse("customers:public_risk", args=[code]),
        reverse("customers:public_progress", args=[code]),
    ]
    users = {
        name: User.objects.get(username=name)
        for name in ("group_crm", "sz_crm", "sz_manager", "sz_engineer")
    }
    users["owner"] = product["owner"]
    problems, counts = [], {}
    started = time.monotonic()
    for who, user in users.items():
        client.logout()
        client.force_login(user, backend=BACKEND)
        found, counts[who] = crawl(client, ["/", *public], who=who)
        problems += found
    client.logout()
    starts = ["/", *public, reverse("accounts:login"), reverse("accounts:owner_register")]
    found, counts["anonymous"] = crawl(client, starts, who="anonymous")
    problems += found
    elapsed = time.monotonic() - started
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert counts["sz_crm"] > 20 and counts["group_crm"] > 20 and counts["owner"] >= 4, counts
    print(f"crawled {counts} in {elapsed:.1f}s")


@pytest.mark.django_db
def test_error_pages_are_pages_in_chinese_too(client, product):
    """What a person meets after a mistyped address or a link from an old e-mail."""
    cases = [
        (None, "/no-such-page/", 404),
        ("sz_engineer", reverse("customers:list"), 403),
        ("sz_manager", reverse("customers:segment_list"), 403),
        ("sz_crm", reverse("customers:detail", args=[999_999]), 404),
    ]
    problems = []
    for username, url, status in cases:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username), backend=BACKEND)
        response = client.get(url)
        assert response.status_code == status, (username, url, response.status_code)
        html = response.content.decode()
        page = Page()
        page.feed(html)
        problems += page_problems(html, page, f"{username or 'anonymous'} {url}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_english_is_one_switch_away(client, product):
    client.force_login(User.objects.get(username="sz_crm"), backend=BACKEND)
    html = client.get("/", follow=True).content.decode()
    assert '<html lang="zh-hans">' in html and ">客户<" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = ["/", reverse("customers:list"), reverse("notifications:inbox")]
    for url in pages:
        html = client.get(url, follow=True).content.decode()
        page = Page()
        page.feed(html)
        texts = {text.strip() for text in page.text}
        assert '<html lang="en">' in html, url
        assert {"Customers", "Inbox", "Log out"} <= texts, url
    problems, _count = crawl(client, pages, who="sz_crm (en)", chinese=False, max_pages=20)
    assert not problems, "\n".join(problems)
