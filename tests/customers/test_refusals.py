"""One refusal path: services raise one family of refusals (vanke_crm/errors.py) and
one place turns each into what a person sees — vanke_crm.pages.submit for forms,
vanke_crm.pages.act for buttons and htmx actions, vanke_crm.api.exception_handler."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import IllegalTransition, InvalidInput
from vanke_crm.pages import act, refused_status, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def post(data=None):
    request = RequestFactory().post("/", data or {"name": "张三"})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def refusing(exc):
    def action(*args):
        raise exc

    return action


@pytest.mark.parametrize(
    "refusal, field, message",
    [
        (ValidationError({"name": "已有同名客户。"}), "name", "已有同名客户。"),
        (InvalidInput("已有同名客户。", field="name"), "name", "已有同名客户。"),
        (InvalidInput("规则不允许。"), "__all__", "规则不允许。"),
        (IllegalTransition("当前状态不能执行。"), "__all__", "当前状态不能执行。"),
    ],
)
def test_a_form_shows_the_refusal_where_it_belongs_and_keeps_what_was_typed(
    refusal, field, message
):
    request = post()
    form = NameForm(request.POST)
    assert submit(request, form, refusing(refusal)) is None
    assert form.errors[field] == [message]
    assert form["name"].value() == "张三" and refused_status(form) == 400


@pytest.mark.parametrize("refusal", [RoleRequired("只有经理可以。"), OutOfScope()])
def test_not_allowed_and_not_found_go_on_to_the_403_and_404_pages(refusal):
    request = post()
    with pytest.raises(type(refusal)):
        submit(request, NameForm(request.POST), refusing(refusal))
    with pytest.raises(type(refusal)):
        act(request, refusing(refusal))


def test_invalid_input_never_reaches_the_action():
    request = post({"name": "超过十个字的名字超过十个字的名字"})
    form = NameForm(request.POST)
    assert submit(request, form, refusing(AssertionError("called"))) is None
    assert refused_status(form) == 400


@pytest.mark.parametrize(
    "refusal, text",
    [
        (IllegalTransition("当前状态不能执行。"), "当前状态不能执行。"),
        (ValidationError({"reason": "必须填写原因。"}), "必须填写原因。"),
    ],
)
def test_a_button_shows_the_refusal_as_a_message(refusal, text):
    request = post()
    result, status = act(request, refusing(refusal))
    assert result is None and status == 400
    assert [str(m) for m in get_messages(request)] == [text]


def test_a_button_that_succeeds_says_so():
    request = post()
    assert act(request, lambda: 42, done="已保存。") == (42, 200)
    assert [str(m) for m in get_messages(request)] == ["已保存。"]


@pytest.mark.django_db
def test_the_api_answers_each_refusal_with_its_status_and_message(
    crm_a, crm_b, manager_a, company_a, unit_a
):
    """Through a real endpoint: a refused transition (400 detail), a missing field (400
    by field), a rule of the service (400), another company (404), a role (403)."""
    import datetime

    from rest_framework.test import APIClient

    from customers.services import ownership_create
    from tests.customers.factories import CustomerFactory

    own = ownership_create(
        customer=CustomerFactory(company=company_a),
        unit=unit_a,
        by=crm_a,
        subscribed_on=datetime.date(2025, 1, 6),
    )
    client = APIClient()
    client.force_authenticate(crm_a)
    url = f"/api/v1/ownerships/{own.pk}/act/"
    wrong_state = client.post(url, {"action": "hand_over", "handover_on": "2025-03-01"})
    assert (
        wrong_state.status_code == 400
        and wrong_state.json()["detail"] == "只有已签约的房屋才能交付。"
    )
    missing = client.post(url, {"action": "contract"})
    assert missing.status_code == 400 and missing.json()["contracted_on"]
    client.force_authenticate(crm_b)
    assert client.post(url, {"action": "cancel"}).status_code == 404
    client.force_authenticate(manager_a)
    forbidden = client.post(url, {"action": "contract", "contracted_on": "2025-02-01"})
    assert forbidden.status_code == 403 and forbidden.json()["detail"]
