"""The API keeps its schema: schemathesis calls every operation of /api/schema/ with
generated data (valid and invalid), as company CRM staff of a company with customers,
ownerships, visits, a segment and an inbox item, through the WSGI app in this process.
It fails on any 5xx, on a status code the schema does not list, and on a body that
does not match the schema. Bounded (docs/decisions/0010): 25 examples per operation,
derandomized, so a run takes the same cases every time."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from customers.models import Visit
from customers.services import ownership_create, visit_register
from customers.services.segments import segment_create
from org.models import Role
from tests.customers.factories import CustomerFactory
from tests.factories import (
    BuildingFactory,
    CompanyFactory,
    DepartmentFactory,
    ProjectFactory,
    UnitFactory,
    make_staff,
)
from tests.notifications.helpers import deliver_inbox

from .openapi import load_schema

# A fixed key: schemathesis may apply auth while it builds cases, before any fixture.
TOKEN = "schemathesis0company0crm0staff0000000000"
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": 25},
        # The coverage phase is not bounded by max-examples (about 3,000 cases here,
        # over a minute); tests/api/test_api_errors.py keeps the cases it found.
        "phases": {"coverage": {"enabled": False}},
        "checks": {
            # The schema cannot say which ids exist: an unknown (or another company's)
            # id in a filter or a body is refused with 400 by design.
            "positive_data_acceptance": {"enabled": False},
            # Query values are read leniently by design: an empty filter means "no
            # filter" (as on the pages) and an unreadable page_size the default size.
            "negative_data_rejection": {"enabled": False},
        },
    }
)


schema = load_schema(CONFIG)


@schema.auth(refresh_interval=None)
class StaffToken:
    """The API token of the `seeded` company CRM staff member."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module and rolled back at its end; each operation's test
    runs in a savepoint inside, so writes through the API do not leak between them."""
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        yield
        transaction.set_rollback(True)


def _seed():
    company, other = CompanyFactory(name="深圳万科", code="sz"), CompanyFactory(code="sh")
    project = ProjectFactory(company=company, name="万科城", code="sz-wkc")
    staff = make_staff(Role.COMPANY_CRM, company, username="crm_fuzz")
    Token.objects.create(user=staff, key=TOKEN)
    DepartmentFactory(company=company, name="深圳客户关系中心")
    building = BuildingFactory(project=project, number="3")
    units = [UnitFactory(building=building, entrance="2", number=str(1201 + i)) for i in range(3)]
    for i in range(4):
        visit_register(project=project, by=staff, name=f"李{i}", mobile=f"1380000{i:04d}")
    owners = [CustomerFactory(company=company, name=f"王{i}") for i in range(3)]
    for owner, unit in zip(owners, units, strict=True):
        ownership_create(
            customer=owner, unit=unit, by=staff, subscribed_on=datetime.date(2024, 3, 1)
        )
    # A revisit is recorded with no source channel (customers.services.lifecycle).
    Visit.objects.create(
        customer=owners[0],
        project=project,
        kind=Visit.Kind.REVISIT,
        visited_at=timezone.now(),
        registered_by=staff,
    )
    segment_create(company=company, name="签约客户", filters={"step": ["2_signing"]}, by=staff)
    deliver_inbox(staff)
    CustomerFactory(company=other, name="别家客户")


@pytest.fixture
def one_connection():
    """As in Django's test client: the connection is not closed after each request, so
    every call runs inside this test's transaction, on the test database."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, seeded, db, one_connection):
    # The WSGI transport hands back the raw body: ask for it uncompressed, as an HTTP
    # client that decompresses would see it (vanke_crm/compression.py).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
