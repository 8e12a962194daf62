"""Playwright in the browser tests: Debian's chromium (never `playwright install`), one
browser per session, a fresh context (cookies, storage) per test, against pytest-django's
`live_server` (a server thread of this process on a transactional test database)."""

import os
import re
import uuid
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# tests themselves (fixtures, reading the SMS outbox) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        reason = f"no chromium at {CHROMIUM} (.ci/run installs Debian's chromium package)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)  # under CI a missing browser is a failure, never a skip
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Rate limits live in the cache: each test its own, never the shared Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"browser-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def sms_outbox():
    from notifications.sms.backends import locmem

    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


# Swagger UI's own markup (nested buttons, its grey text) is not ours to fix.
NOT_OURS = {"/api/docs/"}
# WCAG 2.1 A and AA, as the issue measured them (0 violations on every page; keep it so).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}


@pytest.fixture
def browser_page(_browser, live_server):
    """A page in a new browser context whose relative URLs go to the live server.
    After the test, every page it visited is opened again in the same context and
    checked with axe-core: a WCAG 2.1 A/AA violation fails the test."""
    context = _browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    visited = []

    def seen(frame):
        if frame == page.main_frame and frame.url.startswith(live_server.url):
            visited.append(frame.url.split("#")[0])

    page.on("framenavigated", seen)
    yield page
    problems = _axe_violations(context, dict.fromkeys(visited))
    context.close()
    assert not problems, "accessibility (axe-core, WCAG 2.1 A/AA):\n" + "\n".join(problems)


def _axe_violations(context, urls) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    axe, problems = Axe(), []
    checker = context.new_page()
    for url in urls:
        if urlsplit(url).path in NOT_OURS:
            continue
        response = checker.goto(url)
        if (
            response is None
            or not response.ok
            or "html" not in response.headers.get("content-type", "")
        ):
            continue
        checker.wait_for_load_state("networkidle")
        for violation in axe.run(checker, options=AXE_OPTIONS).response["violations"]:
            targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
            problems.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    checker.close()
    return problems


def read_sms_code(mobile: str) -> str:
    """Deliver the latest SMS to `mobile` and return its 6-digit code. The live server
    runs in this process, so the locmem SMS outbox is shared; delivery is done here
    because the on-commit Celery task has no worker in the tests."""
    from notifications.models import Channel, Message
    from notifications.services import message_deliver
    from notifications.sms.backends import locmem

    message = Message.objects.filter(channel=Channel.SMS, address=mobile).latest("pk")
    message_deliver(message_id=message.pk)
    sms = [item for item in locmem.outbox if item.to == mobile][-1]
    return re.search(r"\b(\d{6})\b", sms.body).group(1)
