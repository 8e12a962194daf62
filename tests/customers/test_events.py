"""Customers publishes its changes as events; the club hears of first visits through
them, not through a call from customers."""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from club.models import FollowUp
from customers import events
from customers.services import (
    ownership_cancel,
    ownership_contract,
    ownership_create,
    visit_register,
)
from events.models import DomainEvent

pytestmark = pytest.mark.django_db


def names():
    return list(DomainEvent.objects.order_by("pk").values_list("name", flat=True))


def test_visits_publish_and_the_club_queues_first_visitors(
    project_a, crm_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = visit_register(project=project_a, by=crm_a, name="李雷", mobile="13800138001")
        visit_register(project=project_a, by=crm_a, name="李雷", mobile="13800138001")
    assert names() == [events.VISIT_REGISTERED, events.VISIT_REGISTERED]
    first_event = DomainEvent.objects.order_by("pk").first()
    assert first_event.payload["is_first"] is True and first_event.actor_id == crm_a.pk
    assert first_event.delivered_at is not None
    assert list(FollowUp.objects.values_list("visit_id", flat=True)) == [first.visit.pk]


def test_ownership_changes_publish_their_events(crm_a, company_a, unit_a):
    from .factories import CustomerFactory

    customer = CustomerFactory(company=company_a)
    own = ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
    )
    own = ownership_contract(ownership=own, contracted_on=datetime.date(2025, 2, 1), by=crm_a)
    ownership_cancel(ownership=own, by=crm_a, reason="换房")
    published = names()
    assert published[0] == events.OWNERSHIP_SUBSCRIBED
    assert events.OWNERSHIP_CONTRACTED in published
    assert events.OWNERSHIP_CANCEL_REQUESTED in published
    assert events.STEP_CHANGED in published  # signing the contract moves the 6+2 step


def test_customers_never_imports_the_club():
    found = [
        str(path)
        for path in Path(settings.BASE_DIR, "customers").rglob("*.py")
        if "from club" in path.read_text() or "import club" in path.read_text()
    ]
    assert found == []


def test_import_contracts_hold_and_a_scratch_import_breaks_them(tmp_path):
    """`make lint` runs lint-imports; the same contracts fail the moment customers'
    services import the club's."""
    root = Path(settings.BASE_DIR)
    linter = Path(settings.BASE_DIR, ".venv", "bin", "lint-imports")
    command = [str(linter) if linter.exists() else "lint-imports", "--no-cache"]
    ok = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout[-2000:]
    # A copy of the tree (its Python packages) with one forbidden import added.
    copy = tmp_path / "tree"
    for entry in root.iterdir():
        if entry.is_dir() and (entry / "__init__.py").exists():
            shutil.copytree(entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pyproject.toml").write_text((root / "pyproject.toml").read_text())
    scratch = copy / "customers" / "services" / "scratch.py"
    scratch.write_text("from club.services import followup_enqueue  # noqa\n")
    broken = subprocess.run(
        command, cwd=copy, capture_output=True, text=True, env={"PYTHONPATH": str(copy)}
    )
    assert broken.returncode != 0
    assert "customers.services.scratch -> club.services" in broken.stdout
