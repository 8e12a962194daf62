"""Segments: saved customer filters with a live count, scoped to one company."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from customers.models import Customer, LifecycleStep, Segment, Tag
from customers.services.segments import (
    segment_create,
    segment_customers,
    segment_delete,
    segment_update,
)
from org.scoping import OutOfScope, RoleRequired

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(company_a, company_b):
    """Company A: two owners (one with consent) and a prospect; company B: one owner."""
    vip = Tag.objects.create(company=company_a, name="VIP")
    owner = CustomerFactory(
        company=company_a, name="甲", kind=Customer.Kind.OWNER, marketing_consent=True
    )
    owner.tags.add(vip)
    CustomerFactory(company=company_a, name="乙", kind=Customer.Kind.OWNER)
    CustomerFactory(company=company_a, name="丙", step=LifecycleStep.VIEWING)
    CustomerFactory(company=company_b, name="丁", kind=Customer.Kind.OWNER)
    return {"vip": vip}


# --- services --------------------------------------------------------------------------------


def test_segment_create_stores_clean_filters_and_counts_its_company(
    crm_a, group_staff, company_a, project_a, people
):
    segment = segment_create(
        company=company_a,
        name=" 业主 ",
        filters={"kind": ["owner"], "project": None, "marketing_consent": None, "junk": "x"},
        by=crm_a,
    )
    assert segment.name == "业主" and segment.filters == {"kind": ["owner"]}
    assert segment.created_by == crm_a
    assert segment_customers(crm_a, segment).count() == 2
    # group staff see every company, but a segment never reaches beyond its own
    assert segment_customers(group_staff, segment).count() == 2


def test_segment_filters_by_tags_and_consent(crm_a, company_a, people):
    segment = segment_create(
        company=company_a,
        name="VIP",
        filters={"tags": [people["vip"].pk], "marketing_consent": True},
        by=crm_a,
    )
    assert segment.filters == {"tags": [people["vip"].pk], "marketing_consent": True}
    assert list(segment_customers(crm_a, segment).values_list("name", flat=True)) == ["甲"]


def test_segment_name_is_unique_per_company(crm_a, crm_b, company_a, company_b):
    segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    with pytest.raises(ValidationError) as error:
        segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    assert "name" in error.value.message_dict
    segment_create(company=company_b, name="业主", filters={}, by=crm_b)
    with pytest.raises(ValidationError):
        segment_create(company=company_a, name="  ", filters={}, by=crm_a)


def test_segment_refuses_another_companys_project_or_tag(crm_a, group_staff, company_a, project_b):
    tag_b = Tag.objects.create(company=project_b.company, name="B")
    with pytest.raises(ValidationError) as error:
        segment_create(
            company=company_a,
            name="x",
            filters={"project": project_b.pk, "tags": [tag_b.pk]},
            by=group_staff,
        )
    assert set(error.value.message_dict) == {"project", "tags"}
    with pytest.raises(ValidationError) as error:
        segment_create(company=company_a, name="x", filters={"step": ["9_nope"]}, by=crm_a)
    assert "step" in error.value.message_dict
    assert Segment.objects.count() == 0


def test_segment_refusals_by_role_and_company(crm_a, crm_b, handler_a, company_a):
    with pytest.raises(RoleRequired):
        segment_create(company=company_a, name="x", filters={}, by=handler_a)
    with pytest.raises(OutOfScope):
        segment_create(company=company_a, name="x", filters={}, by=crm_b)
    segment = segment_create(company=company_a, name="x", filters={}, by=crm_a)
    with pytest.raises(OutOfScope):
        segment_update(segment=segment, by=crm_b, name="y")
    with pytest.raises(RoleRequired):
        segment_delete(segment=segment, by=handler_a)
    assert Segment.objects.get().name == "x"


def test_segment_update_and_delete(crm_a, company_a, people):
    segment = segment_create(company=company_a, name="x", filters={}, by=crm_a)
    segment_update(segment=segment, by=crm_a, name="业主", filters={"kind": ["owner"]})
    segment.refresh_from_db()
    assert (segment.name, segment.filters) == ("业主", {"kind": ["owner"]})
    segment_delete(segment=segment, by=crm_a)
    assert not Segment.objects.exists()


# --- pages -----------------------------------------------------------------------------------


def test_segment_list_shows_live_count_scoped(client, crm_a, company_a, people):
    segment_create(company=company_a, name="业主", filters={"kind": ["owner"]}, by=crm_a)
    segment_create(company=company_a, name="全部", filters={}, by=crm_a)
    client.force_login(crm_a)
    response = client.get(reverse("customers:segment_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('data-testid="segment-row"') == 2
    counts = {}
    for row in text.split('data-testid="segment-row"')[1:]:
        name = "业主" if "业主" in row.split("</td>")[0] else "全部"
        counts[name] = row.split('data-testid="segment-count"')[1].split(">", 2)[2].split("<")[0]
    assert counts == {"全部": "3", "业主": "2"}  # company A only


def test_live_count_endpoint_counts_the_form_filters(client, crm_a, company_a, people):
    client.force_login(crm_a)
    url = reverse("customers:segment_count")
    response = client.get(url, {"company": company_a.pk, "kind": "owner", "name": "x"})
    assert response.status_code == 200
    assert 'data-testid="live-count">2<' in response.content.decode()
    response = client.get(url, {"kind": "owner", "marketing_consent": "true"})
    assert 'data-testid="live-count">1<' in response.content.decode()
    response = client.get(url, {"step": "nope"})
    assert "live-count" not in response.content.decode()
    assert response.status_code == 200


def test_live_count_of_another_company_is_404(client, crm_b, company_a):
    client.force_login(crm_b)
    response = client.get(reverse("customers:segment_count"), {"company": company_a.pk})
    assert response.status_code == 404


def test_create_and_edit_segment_through_the_pages(client, crm_a, company_a, people):
    client.force_login(crm_a)
    page = client.get(reverse("customers:segment_create"))
    assert page.status_code == 200 and "hx-get" in page.content.decode()
    response = client.post(
        reverse("customers:segment_create"),
        {
            "company": company_a.pk,
            "name": "有同意的业主",
            "kind": ["owner"],
            "marketing_consent": "true",
        },
    )
    assert response.status_code == 302
    segment = Segment.objects.get()
    assert segment.filters == {"kind": ["owner"], "marketing_consent": True}
    assert segment_customers(crm_a, segment).count() == 1
    edit = reverse("customers:segment_edit", args=[segment.pk])
    assert "有同意的业主" in client.get(edit).content.decode()
    response = client.post(edit, {"name": "全部业主", "kind": ["owner"]})
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.name == "全部业主" and segment.filters == {"kind": ["owner"]}


def test_bad_segment_input_keeps_what_was_typed(client, crm_a, company_a):
    segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:segment_create"),
        {"company": company_a.pk, "name": "业主", "q": "张三"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "张三" in text and "errorlist" in text
    assert Segment.objects.count() == 1


def test_segment_export(client, crm_a, company_a, people):
    segment = segment_create(company=company_a, name="业主", filters={"kind": ["owner"]}, by=crm_a)
    client.force_login(crm_a)
    response = client.get(reverse("customers:segment_export", args=[segment.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(row[0].value for row in list(workbook.active.iter_rows())[1:])
    assert names == ["乙", "甲"]


def test_segment_of_another_company_is_404(client, crm_a, crm_b, company_a):
    segment = segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    client.force_login(crm_b)
    for name in ("segment_edit", "segment_export"):
        assert client.get(reverse(f"customers:{name}", args=[segment.pk])).status_code == 404
    delete = client.post(reverse("customers:segment_delete", args=[segment.pk]))
    assert delete.status_code == 404
    response = client.post(
        reverse("customers:segment_create"), {"company": company_a.pk, "name": "偷看"}
    )
    assert response.status_code == 404
    assert Segment.objects.count() == 1
    assert "业主" not in client.get(reverse("customers:segment_list")).content.decode()


def test_handler_gets_403(client, crm_a, handler_a, company_a):
    segment = segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    client.force_login(handler_a)
    assert client.get(reverse("customers:segment_list")).status_code == 403
    assert client.get(reverse("customers:segment_create")).status_code == 403
    assert client.get(reverse("customers:segment_count")).status_code == 403
    # A saved segment is customer data, outside a handler's scope: 404, like a record.
    edit = reverse("customers:segment_edit", args=[segment.pk])
    assert client.get(edit).status_code == 404
    delete = client.post(reverse("customers:segment_delete", args=[segment.pk]))
    assert delete.status_code == 404
    assert Segment.objects.count() == 1


def test_delete_segment_page(client, crm_a, company_a):
    segment = segment_create(company=company_a, name="业主", filters={}, by=crm_a)
    client.force_login(crm_a)
    response = client.post(reverse("customers:segment_delete", args=[segment.pk]))
    assert response.status_code == 302
    assert not Segment.objects.exists()
    assert client.get(reverse("customers:segment_delete", args=[segment.pk])).status_code == 405
