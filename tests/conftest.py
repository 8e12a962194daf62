import os
import socket

import pytest
from django.conf import settings

from org.models import Role

from .factories import CompanyFactory, ProjectFactory, make_staff


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pytest_configure(config):
    """Under CI=true the PostgreSQL and Redis tests must run, never silently skip."""
    if os.environ.get("CI", "").lower() != "true" or os.environ.get("SMOKE_SQLITE"):
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        pytest.exit(f"CI=true needs PostgreSQL, but the database engine is {engine}", 2)
    if not settings.CELERY_BROKER_URL.startswith("redis://") or not _answers("127.0.0.1", 6379):
        pytest.exit("CI=true needs Redis on 127.0.0.1:6379 for the broker tests", 2)


@pytest.fixture
def company_a(db):
    return CompanyFactory(name="深圳万科", code="sz", city="深圳")


@pytest.fixture
def company_b(db):
    return CompanyFactory(name="上海万科", code="sh", city="上海")


@pytest.fixture
def project_a(company_a):
    return ProjectFactory(company=company_a, name="万科城", code="sz-wkc")


@pytest.fixture
def project_b(company_b):
    return ProjectFactory(company=company_b, name="翡翠公园", code="sh-fcgy")


@pytest.fixture
def group_staff(db):
    return make_staff(Role.GROUP_CRM, username="group_crm")


@pytest.fixture
def crm_a(company_a):
    return make_staff(Role.COMPANY_CRM, company_a, username="crm_a")


@pytest.fixture
def crm_b(company_b):
    return make_staff(Role.COMPANY_CRM, company_b, username="crm_b")


@pytest.fixture
def handler_a(company_a):
    return make_staff(Role.HANDLER, company_a, username="handler_a")


@pytest.fixture
def manager_a(company_a):
    return make_staff(Role.MANAGER, company_a, username="manager_a")


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    """Every test starts with an empty locmem SMS outbox (like Django's mail.outbox)."""
    from notifications.sms.backends import locmem

    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture(autouse=True)
def _forget_public_pages():
    """The public pages are cached per project code (decision 0019), and every test
    makes its projects again with the same codes: start each test without them."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("public-page:*")
        cache.delete_pattern("paging-estimate:*")  # vanke_crm.paging, the same way
        cache.delete_pattern("listcache:*")  # vanke_crm.listcache, the same way
    yield


@pytest.fixture(autouse=True)
def _forget_settings():
    """Stored settings and calendar entries are cached per company (org.company_settings,
    org.working_time), and the database rolls back after each test while the cache would
    not: start each test without them."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("org.settings.*")
        cache.delete_pattern("org.calendar.*")  # the working calendar's entries, the same way
    yield
