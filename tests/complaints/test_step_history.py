"""Issue 9, acceptance 1, as a person reads it: after a hotline repair has gone from
intake to closure (customer relations accept, dispatch, confirm and record the visit;
the engineer starts, photographs and finishes), every step is on the case page's
history and on the customer's 360 timeline, each with the name of who did it."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Case
from complaints.services.cases import WORKFLOW

from .test_life_cycle import later, new_case, photo

pytestmark = pytest.mark.django_db

STEPS = [  # (action of the case, who did it)
    ("accept", "crm"),
    ("dispatch", "crm"),
    ("start", "engineer"),
    ("resolve", "engineer"),
    ("confirm", "crm"),
    ("visit", "crm"),
]


def _items(page: str, testid: str) -> list[str]:
    """The text of each <li> of the list (or the entries) marked `testid`."""
    if testid == "case-events":
        block = re.search(r'<ul data-testid="case-events">(.*?)</ul>', page, re.S).group(1)
        rows = re.findall(r"<li>(.*?)</li>", block, re.S)
    else:
        rows = re.findall(rf'<li data-testid="{testid}"[^>]*>(.*?)</li>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", row)).strip() for row in rows]


def test_every_step_with_its_actor_is_on_the_case_page_and_the_360_timeline(
    client, crm_a, company_a, engineer
):
    case = new_case(crm_a, company_a)
    services.case_act(case=case, action="accept", by=crm_a)
    task = services.case_dispatch(case=case, by=crm_a, assignee=engineer, due_at=later())
    services.task_act(task=task, action="start", by=engineer)
    services.task_photo_add(task=task, by=engineer, upload=photo())
    services.task_act(task=task, action="finish", by=engineer, reason="已重做防水层")
    case = services.case_act(case=Case.objects.get(pk=case.pk), action="confirm", by=crm_a)
    case = services.case_act(case=case, action="visit", by=crm_a, verdict="satisfied")
    assert case.status == Case.Status.CLOSED
    people = {"crm": crm_a.display_name, "engineer": engineer.display_name}

    client.force_login(crm_a, backend="accounts.backends.UsernameOrMobileBackend")
    page = client.get(reverse("complaints:case", args=[case.pk])).content.decode()
    timeline = client.get(reverse("customers:detail", args=[case.customer_id])).content.decode()
    events = _items(page, "case-events")
    entries = [e for e in _items(timeline, "timeline-entry") if case.number in e]
    with translation.override("zh-hans"):
        for action, who in STEPS:
            label, name = str(WORKFLOW.label_of_action(action)), people[who]
            assert any(name in e and label in e for e in events), (action, events)
            assert any(name in e and label in e for e in entries), (action, entries)
    # The handler's own steps on the task (start, finish with the note) are there too.
    assert any(people["engineer"] in e and "已重做防水层" in e for e in events)
    # One timeline entry for the intake and one per step of the case, none twice.
    assert len(entries) == 1 + len(STEPS), entries
