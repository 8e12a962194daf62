"""Ownership runs on the platform's transitions: one table decides what is possible,
every change leaves a state event (who, from, to, reason) that the History tab shows,
and refusals read the same in the page and the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from audit.models import StateEvent
from customers.models import Ownership
from customers.services import ownership_create
from vanke_crm import transitions
from vanke_crm.errors import IllegalTransition
from vanke_crm.transitions import Transition, Workflow, available_actions, transition

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db
S = Ownership.Status


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def ownership(crm_a, company_a, unit_a):
    customer = CustomerFactory(company=company_a, name="王五")
    return ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def actions_of(ownership, user):
    return [rule.action for rule in available_actions(ownership, user)]


def test_each_transition_leaves_an_event_with_actor_from_to_and_reason(ownership, crm_a, manager_a):
    transition(ownership, "contract", by=crm_a, contracted_on=datetime.date(2025, 2, 1))
    transition(ownership, "cancel", by=crm_a, reason="换到另一套房")
    transition(ownership, "refuse_cancellation", by=manager_a)
    events = list(StateEvent.objects.order_by("pk"))
    assert [(e.action, e.from_state, e.to_state, e.actor, e.reason) for e in events] == [
        ("contract", "subscribed", "contracted", crm_a, ""),
        ("cancel", "contracted", "cancel_pending", crm_a, "换到另一套房"),
        ("refuse_cancellation", "cancel_pending", "contracted", manager_a, ""),
    ]
    assert events[0].payload == {"contracted_on": "2025-02-01"}
    assert events[0].actor_name == crm_a.display_name
    ownership.refresh_from_db()
    assert ownership.status == S.CONTRACTED and ownership.cancel_decided_by == manager_a


def test_illegal_transition_is_refused_and_leaves_no_event(ownership, crm_a):
    with pytest.raises(IllegalTransition, match="Only a contracted unit can be handed over"):
        transition(ownership, "hand_over", by=crm_a, handover_on=datetime.date(2025, 3, 1))
    with pytest.raises(IllegalTransition, match="does not exist"):
        transition(ownership, "demolish", by=crm_a)
    assert not StateEvent.objects.exists()
    ownership.refresh_from_db()
    assert ownership.status == S.SUBSCRIBED


def test_available_actions_follow_state_and_role(ownership, crm_a, manager_a, handler_a, crm_b):
    assert actions_of(ownership, crm_a) == ["contract", "cancel"]
    assert actions_of(ownership, manager_a) == []
    assert actions_of(ownership, handler_a) == []
    assert actions_of(ownership, crm_b) == []
    ownership = transition(ownership, "cancel", by=crm_a, reason="家庭原因")
    assert actions_of(ownership, manager_a) == ["approve_cancellation", "refuse_cancellation"]
    assert actions_of(ownership, crm_a) == []  # may not decide on their own request


def test_the_page_shows_only_the_actions_the_user_may_take(client, ownership, crm_a, manager_a):
    url = reverse("customers:ownership", args=[ownership.pk])
    client.force_login(crm_a)
    page = client.get(url).content.decode()
    assert 'data-testid="action-contract"' in page and 'data-testid="action-cancel"' in page
    assert "action-approve_cancellation" not in page
    client.force_login(manager_a)
    page = client.get(url).content.decode()
    assert 'data-testid="action-' not in page
    # A manager posting an action their role does not allow is refused with a message.
    response = client.post(url, {"action": "contract", "contracted_on": "2025-02-01"})
    assert response.status_code == 403
    assert "Only customer-relations staff may change customer data." in response.content.decode()
    ownership.refresh_from_db()
    assert ownership.status == S.SUBSCRIBED


def test_the_history_tab_shows_transitions_with_who_from_to_and_reason(client, ownership, crm_a):
    client.force_login(crm_a)
    url = reverse("customers:ownership", args=[ownership.pk])
    response = client.post(url, {"action": "cancel", "reason": "不想买了"})
    assert response.status_code == 302
    history = client.get(
        reverse("customers:history", args=[ownership.customer_id]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Cancel the purchase" in history
    assert "Subscribed (认购)" in history and "Cancellation awaiting approval" in history
    assert "不想买了" in history and crm_a.display_name in history
    assert "3-2-1201" in history


def test_api_lists_actions_and_runs_them(ownership, crm_a):
    client = api(crm_a)
    body = client.get(f"/api/v1/ownerships/{ownership.pk}/").json()
    assert body["actions"] == ["contract", "cancel"]
    response = client.post(
        f"/api/v1/ownerships/{ownership.pk}/act/",
        {"action": "contract", "contracted_on": "2025-02-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "contracted"
    assert response.json()["actions"] == ["hand_over", "cancel"]


def test_api_refuses_illegal_and_incomplete_transitions_with_a_message(ownership, crm_a, manager_a):
    url = f"/api/v1/ownerships/{ownership.pk}/act/"
    refused = api(crm_a).post(url, {"action": "hand_over", "handover_on": "2025-03-01"})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Only a contracted unit can be handed over."}
    missing = api(crm_a).post(url, {"action": "contract"})
    assert missing.status_code == 400 and "contracted_on" in missing.json()
    wrong_order = api(crm_a).post(url, {"action": "contract", "contracted_on": "2024-01-01"})
    assert wrong_order.status_code == 400 and "contracted_on" in wrong_order.json()
    forbidden = api(manager_a).post(url, {"action": "contract", "contracted_on": "2025-02-01"})
    assert forbidden.status_code == 403
    assert not StateEvent.objects.exists()


def test_api_answers_404_for_another_companys_ownership(ownership, crm_b):
    response = api(crm_b).post(f"/api/v1/ownerships/{ownership.pk}/act/", {"action": "cancel"})
    assert response.status_code == 404


def test_after_commit_hooks_run_once_the_transaction_commits(
    ownership, crm_a, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    flow = Workflow(
        Ownership,
        [
            Transition(
                "mark",
                (S.SUBSCRIBED,),
                S.CONTRACTED,
                "mark",
                lambda user, obj: None,
                requires=("reason",),
                on_commit=lambda obj, event: seen.append((obj.status, event.action)),
            )
        ],
    )
    monkeypatch.setitem(transitions._WORKFLOWS, Ownership, flow)
    with pytest.raises(Exception, match="required"):
        transition(ownership, "mark", by=crm_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transition(ownership, "mark", by=crm_a, reason="test")
        assert seen == []  # nothing before the commit
    # The transition's hook ran once (the list cache moves its version on too).
    hooks = [c for c in callbacks if c.__module__ != "vanke_crm.listcache"]
    assert len(hooks) == 1 and seen == [("contracted", "mark")]
