import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from club.models import FollowUp
from customers.models import Customer, Visit, WorkPointCheck
from customers.services import visit_register
from customers.timeline import timeline_for
from notifications.models import Message
from org.scoping import OutOfScope, RoleRequired

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_first_visit_creates_prospect_club_followup_and_timeline_entry(
    project_a, crm_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = visit_register(
            project=project_a, by=crm_a, name="张三", mobile="138 0013 8000", needs="三房，学区"
        )
    customer = result.customer
    assert result.is_new_customer
    assert customer.kind == Customer.Kind.PROSPECT
    assert customer.mobile == "+8613800138000"
    assert customer.company == project_a.company
    assert FollowUp.objects.filter(customer=customer, visit=result.visit).count() == 1
    titles = [e.title for e in timeline_for(customer)]
    assert any(project_a.name in t for t in titles)
    # step 1: the risk disclosure goes out and the step's work points are ticked
    sms = Message.objects.get(template="risk_disclosure")
    assert sms.address == "+8613800138000"
    assert f"/customers/p/{project_a.code}/risk/" in sms.body
    assert WorkPointCheck.objects.filter(customer=customer).count() == 3


@pytest.mark.smoke
def test_second_visit_of_same_mobile_adds_to_same_customer(
    project_a, crm_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000")
        second = visit_register(
            project=project_a, by=crm_a, name="张三丰", mobile="+86 138-0013-8000"
        )
    assert second.customer.pk == first.customer.pk
    assert not second.is_new_customer
    assert Customer.objects.count() == 1
    assert Visit.objects.filter(customer=first.customer).count() == 2
    assert FollowUp.objects.count() == 1  # only first-time visitors go to the club


def test_invalid_mobile_is_refused_and_nothing_written(project_a, crm_a):
    with pytest.raises(ValidationError) as err:
        visit_register(project=project_a, by=crm_a, name="张三", mobile="12345")
    assert "mobile" in err.value.message_dict
    assert Customer.objects.count() == 0 and Visit.objects.count() == 0


def test_handler_may_not_register_visits(project_a, handler_a):
    with pytest.raises(RoleRequired):
        visit_register(project=project_a, by=handler_a, name="张三", mobile="13800138000")


def test_other_company_staff_get_out_of_scope(project_a, crm_b):
    with pytest.raises(OutOfScope):
        visit_register(project=project_a, by=crm_b, name="张三", mobile="13800138000")


def test_same_mobile_in_another_company_is_another_customer(project_a, project_b, crm_a, crm_b):
    a = visit_register(project=project_a, by=crm_a, name="张三", mobile="13800138000")
    b = visit_register(project=project_b, by=crm_b, name="张三", mobile="13800138000")
    assert a.customer.pk != b.customer.pk


def _initial_project(client, user):
    client.force_login(user)
    response = client.get(reverse("customers:visit_register"))
    assert response.status_code == 200
    return response.context["form"]["project"].value()


def test_visit_form_preselects_the_users_only_project(client, project_a, crm_a):
    assert _initial_project(client, crm_a) == project_a.pk


def test_visit_form_preselects_the_project_of_the_last_visit(client, project_a, crm_a):
    from tests.factories import ProjectFactory

    other = ProjectFactory(company=project_a.company, name="万科里", code="sz-wkl")
    assert _initial_project(client, crm_a) is None  # two projects, nothing used yet
    visit_register(project=other, by=crm_a, name="张三", mobile="13800138000")
    assert _initial_project(client, crm_a) == other.pk


def test_visit_form_labels_the_two_companion_fields_apart(client, project_a, crm_a):
    from django.utils import translation

    from customers.forms import VisitForm

    with translation.override("zh-hans"):
        form = VisitForm(user=crm_a)
        labels = {str(form.fields["companions"].label), str(form.fields["companions_note"].label)}
    assert len(labels) == 2
