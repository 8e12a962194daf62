"""The case page and the handler's task page post their action cards through one helper
(vanke_crm.pages.posted_action): success says the transition's own done message and
redirects; a refusal answers 400 with the page again — the reason on the card that was
posted (what was typed kept) or, when no card shows it (an unknown action, or one the
state no longer allows), as an error message; nothing is written."""

import pytest
from django.urls import reverse

from audit.models import StateEvent
from complaints import services
from complaints.models import Case, Task

from .test_life_cycle import later, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")
    client.cookies["django_language"] = "en"


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("page", ["case", "task"])
def test_success_says_the_transitions_done_message_and_redirects(
    client, crm_a, company_a, engineer, page
):
    case = new_case(crm_a, company_a)
    if page == "case":
        user, url, done = crm_a, reverse("complaints:case", args=[case.pk]), "The case is accepted."
    else:
        task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
        user, url, done = (
            engineer,
            reverse("complaints:task", args=[task.pk]),
            "You have accepted the task.",
        )
    _login(client, user)
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == url
    assert done in _text(client.get(url))


@pytest.mark.parametrize("page", ["case", "task"])
def test_an_unknown_or_no_longer_possible_action_is_a_message_and_nothing_is_written(
    client, crm_a, company_a, engineer, page
):
    case = new_case(crm_a, company_a)
    if page == "case":
        user, url = crm_a, reverse("complaints:case", args=[case.pk])
    else:
        task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
        user, url = engineer, reverse("complaints:task", args=[task.pk])
    _login(client, user)
    events = StateEvent.objects.count()
    unknown = client.post(url, {"action": "fly"})
    assert unknown.status_code == 400
    assert "This action does not exist for this record." in _text(unknown)
    assert client.post(url, {"action": "accept"}).status_code == 302
    events = StateEvent.objects.count()
    again = client.post(url, {"action": "accept"})
    assert again.status_code == 400 and "is not possible while the record is" in _text(again)
    assert StateEvent.objects.count() == events


def test_a_refusal_on_its_card_keeps_what_was_typed(client, crm_a, company_a, engineer):
    case = new_case(crm_a, company_a)  # a repair: finished with a photo of the work
    task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    services.task_act(task=task, action="start", by=engineer)
    _login(client, engineer)
    url = reverse("complaints:task", args=[task.pk])
    refused = client.post(url, {"action": "finish", "reason": "已更换密封圈"})
    assert refused.status_code == 400
    card = _text(refused).split('data-testid="action-finish"')[1].split("</form>")[0]
    assert "已更换密封圈" in card and "photo" in card
    assert Task.objects.get(pk=task.pk).status == "in_progress"
    assert Case.objects.get(pk=case.pk).status == Case.Status.IN_PROGRESS
