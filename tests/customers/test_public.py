"""Acceptance 7: the public risk-disclosure and construction-progress pages show only
published entries to anonymous visitors; company CRM staff edit and publish them."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from customers.demo_disclosure import seed_disclosures
from customers.models import ProgressMilestone, RiskItem
from customers.services import disclosure
from demo.registry import SeedContext
from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import IllegalTransition


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted below are the English msgids."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def png(name="site.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 200, 220)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def risk(project, *, published, title="110kV变电站", inside=False, distance=420, **extra):
    return RiskItem.objects.create(
        project=project,
        kind=RiskItem.Kind.INSIDE if inside else RiskItem.Kind.SUBSTATION,
        inside_site=inside,
        title=title,
        distance_m=distance,
        description="项目东北侧的变电站。",
        is_published=published,
        **extra,
    )


def milestone(project, *, published, title, percent, date):
    return ProgressMilestone.objects.create(
        project=project, title=title, percent=percent, date=date, is_published=published
    )


def risk_post(**overrides):
    data = {
        "kind": RiskItem.Kind.WASTE,
        "title": "垃圾转运站",
        "distance_m": "800",
        "description": "夏季偏西风时可能有异味。",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def milestone_post(**overrides):
    data = {"date": "2025-05-20", "title": "主体封顶", "percent": "60", "description": ""}
    data.update(overrides)
    return data


# --- public pages ------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.django_db
def test_anonymous_visitor_sees_only_published_risk_items(client, project_a):
    shown = risk(project_a, published=True, picture="risk/2025/05/sub.jpg")
    risk(project_a, published=True, title="地库出入口正对3栋", inside=True, distance=None)
    risk(project_a, published=False, title="规划中的加油站", distance=350)

    response = client.get(reverse("customers:public_risk", args=[project_a.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "110kV变电站" in html and "地库出入口正对3栋" in html
    assert "规划中的加油站" not in html
    assert f'src="{shown.picture.url}"' in html
    assert project_a.company.hotline in html
    # the date as the page shows it, in Beijing time (after 16:00 UTC it is tomorrow)
    assert timezone.localtime(shown.updated_at).strftime("%Y-%m-%d") in html
    assert reverse("customers:public_progress", args=[project_a.code]) in html
    # outside before inside
    assert html.index("110kV变电站") < html.index("地库出入口正对3栋")


@pytest.mark.smoke
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["customers:public_risk", "customers:public_progress"])
def test_unknown_project_code_is_404(client, name):
    assert client.get(reverse(name, args=["no-such-project"])).status_code == 404


@pytest.mark.django_db
def test_outside_items_are_sorted_by_distance(client, project_a):
    risk(project_a, published=True, title="垃圾转运站", distance=800)
    risk(project_a, published=True, title="地铁高架", distance=650)
    html = client.get(reverse("customers:public_risk", args=[project_a.code])).content.decode()
    assert html.index("地铁高架") < html.index("垃圾转运站")


@pytest.mark.django_db
def test_risk_page_shows_an_empty_state_when_nothing_is_published(client, project_a):
    risk(project_a, published=False)
    response = client.get(reverse("customers:public_risk", args=[project_a.code]))
    assert response.status_code == 200
    assert 'data-testid="risk-empty"' in response.content.decode()
    assert "110kV变电站" not in response.content.decode()


@pytest.mark.django_db
def test_progress_page_shows_published_milestones_newest_first(client, project_a):
    milestone(
        project_a, published=True, title="土方开挖", percent=10, date=datetime.date(2024, 9, 1)
    )
    milestone(
        project_a, published=True, title="主体封顶", percent=60, date=datetime.date(2025, 3, 1)
    )
    milestone(
        project_a, published=False, title="外立面完成", percent=80, date=datetime.date(2025, 6, 1)
    )

    response = client.get(reverse("customers:public_progress", args=[project_a.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "外立面完成" not in html
    assert html.index("主体封顶") < html.index("土方开挖")
    assert '<progress max="100" value="60" aria-label="Overall progress">' in html
    assert "style=" not in html  # CSP forbids inline styles


@pytest.mark.django_db
def test_progress_page_shows_an_empty_state(client, project_a):
    milestone(
        project_a, published=False, title="土方开挖", percent=10, date=datetime.date(2024, 9, 1)
    )
    response = client.get(reverse("customers:public_progress", args=[project_a.code]))
    assert response.status_code == 200
    assert 'data-testid="progress-empty"' in response.content.decode()


# --- staff: happy paths ------------------------------------------------------------------


@pytest.mark.django_db
def test_crm_staff_creates_a_risk_item_with_a_picture_as_a_draft(client, crm_a, project_a):
    client.force_login(crm_a)
    url = reverse("customers:risk_item_create", args=[project_a.pk])
    response = client.post(url, risk_post(picture=png()))

    assert response.status_code == 302
    item = RiskItem.objects.get(project=project_a)
    assert (item.title, item.distance_m, item.is_published) == ("垃圾转运站", 800, False)
    assert item.updated_by == crm_a
    assert item.picture.name.startswith("risk/")
    assert item.history.first().history_user == crm_a


@pytest.mark.django_db
def test_crm_staff_publishes_and_unpublishes_a_risk_item(client, crm_a, project_a):
    item = risk(project_a, published=False)
    public_url = reverse("customers:public_risk", args=[project_a.code])
    client.force_login(crm_a)

    response = client.post(
        reverse("customers:risk_item_publish", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert reverse("customers:risk_item_unpublish", args=[item.pk]) in response.content.decode()
    item.refresh_from_db()
    assert item.is_published and item.updated_by == crm_a
    client.logout()
    assert "110kV变电站" in client.get(public_url).content.decode()

    client.force_login(crm_a)
    response = client.post(reverse("customers:risk_item_unpublish", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_published
    client.logout()
    assert "110kV变电站" not in client.get(public_url).content.decode()


@pytest.mark.django_db
def test_publishing_a_published_item_is_refused_with_a_message(client, crm_a, project_a):
    item = risk(project_a, published=True)
    with pytest.raises(IllegalTransition):
        disclosure.risk_item_publish(item=item, by=crm_a)
    client.force_login(crm_a)
    response = client.post(reverse("customers:risk_item_publish", args=[item.pk]), follow=True)
    assert response.status_code == 200
    assert "already published" in response.content.decode()


@pytest.mark.django_db
def test_group_staff_edit_any_company_and_edits_keep_the_item_published(
    client, group_staff, project_b
):
    item = risk(project_b, published=True, picture="risk/old.jpg")
    client.force_login(group_staff)
    response = client.post(
        reverse("customers:risk_item_edit", args=[item.pk]),
        risk_post(
            kind=RiskItem.Kind.SUBSTATION, title="110kV变电站（已迁改）", **{"picture-clear": "on"}
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "110kV变电站（已迁改）" and item.is_published
    assert not item.picture and item.updated_by == group_staff


@pytest.mark.django_db
def test_crm_staff_create_and_publish_a_milestone(client, crm_a, project_a):
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:milestone_create", args=[project_a.pk]), milestone_post(photo=png())
    )
    assert response.status_code == 302
    created = ProgressMilestone.objects.get(project=project_a)
    assert (created.percent, created.is_published) == (60, False)

    client.post(reverse("customers:milestone_publish", args=[created.pk]))
    created.refresh_from_db()
    assert created.is_published
    html = client.get(reverse("customers:public_progress", args=[project_a.code])).content.decode()
    assert "主体封顶" in html and f'src="{created.photo.url}"' in html

    client.post(reverse("customers:milestone_unpublish", args=[created.pk]))
    created.refresh_from_db()
    assert not created.is_published


@pytest.mark.django_db
def test_crm_staff_delete_a_risk_item(client, crm_a, project_a):
    item = risk(project_a, published=True)
    client.force_login(crm_a)
    page = client.get(reverse("customers:disclosure_project", args=[project_a.pk]))
    assert page.status_code == 200 and "data-confirm=" in page.content.decode()
    response = client.post(reverse("customers:risk_item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not RiskItem.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_disclosure_index_lists_only_the_staffs_company_projects(
    client, crm_a, project_a, project_b
):
    client.force_login(crm_a)
    html = client.get(reverse("customers:disclosure_index")).content.decode()
    assert project_a.name in html and project_b.name not in html


# --- staff: refusals ------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_for_staff_pages(client, project_a):
    item = risk(project_a, published=False)
    for url in (
        reverse("customers:disclosure_project", args=[project_a.pk]),
        reverse("customers:risk_item_create", args=[project_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("customers:risk_item_publish", args=[item.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    item.refresh_from_db()
    assert not item.is_published


@pytest.mark.django_db
def test_handler_gets_403(client, handler_a, project_a):
    item = risk(project_a, published=False)
    client.force_login(handler_a)
    assert (
        client.get(reverse("customers:disclosure_project", args=[project_a.pk])).status_code == 403
    )
    assert client.post(reverse("customers:risk_item_publish", args=[item.pk])).status_code == 403
    assert client.post(reverse("customers:risk_item_delete", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert not item.is_published
    with pytest.raises(RoleRequired):
        disclosure.risk_item_publish(item=item, by=handler_a)


@pytest.mark.django_db
def test_crm_staff_of_another_company_get_404(client, crm_b, project_a):
    item = risk(project_a, published=False)
    ms = milestone(
        project_a, published=True, title="土方开挖", percent=10, date=datetime.date(2024, 9, 1)
    )
    client.force_login(crm_b)
    assert (
        client.get(reverse("customers:disclosure_project", args=[project_a.pk])).status_code == 404
    )
    assert client.get(reverse("customers:risk_item_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("customers:risk_item_publish", args=[item.pk])).status_code == 404
    assert client.post(reverse("customers:milestone_unpublish", args=[ms.pk])).status_code == 404
    item.refresh_from_db()
    ms.refresh_from_db()
    assert not item.is_published and ms.is_published
    with pytest.raises(OutOfScope):
        disclosure.milestone_unpublish(milestone=ms, by=crm_b)


@pytest.mark.django_db
def test_percent_over_100_is_refused_and_the_typed_values_are_kept(client, crm_a, project_a):
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:milestone_create", args=[project_a.pk]),
        milestone_post(percent="120", title="外立面完成"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Progress is a percentage from 0 to 100." in html
    assert 'value="外立面完成"' in html and 'value="120"' in html
    assert not ProgressMilestone.objects.exists()


@pytest.mark.django_db
def test_outside_item_without_distance_is_refused(client, crm_a, project_a):
    client.force_login(crm_a)
    response = client.post(
        reverse("customers:risk_item_create", args=[project_a.pk]), risk_post(distance_m="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please enter the distance in metres for a factor outside the site." in html
    assert 'value="垃圾转运站"' in html and "夏季偏西风时可能有异味。" in html
    assert not RiskItem.objects.exists()


@pytest.mark.django_db
def test_inside_item_needs_no_distance_and_kind_inside_means_inside(crm_a, project_a):
    item = disclosure.risk_item_create(
        project=project_a,
        by=crm_a,
        kind=RiskItem.Kind.INSIDE,
        inside_site=False,
        title="小区内配电房",
        distance_m=None,
        description="位于5栋与6栋之间。",
    )
    assert item.inside_site and item.distance_m is None
    with pytest.raises(ValidationError) as exc:
        disclosure.risk_item_create(
            project=project_a,
            by=crm_a,
            kind=RiskItem.Kind.ROAD,
            title="高速公路",
            distance_m=1500,
            description="…",
        )
    assert "distance_m" in exc.value.error_dict


@pytest.mark.django_db
def test_a_non_image_upload_is_refused_with_a_message(client, crm_a, project_a):
    client.force_login(crm_a)
    fake = SimpleUploadedFile("site.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(
        reverse("customers:risk_item_create", args=[project_a.pk]), risk_post(picture=fake)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose a picture file (JPEG, PNG or WebP)." in html
    assert 'value="垃圾转运站"' in html
    assert not RiskItem.objects.exists()


@pytest.mark.django_db
def test_a_picture_over_5_mb_is_refused(client, crm_a, project_a):
    client.force_login(crm_a)
    big = SimpleUploadedFile("big.jpg", b"\0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    response = client.post(
        reverse("customers:milestone_create", args=[project_a.pk]), milestone_post(photo=big)
    )
    assert response.status_code == 400
    assert "the limit is 5 MB" in response.content.decode()
    assert not ProgressMilestone.objects.exists()


# --- demo data -------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_disclosures_are_idempotent_and_partly_unpublished(crm_a, crm_b, project_a, project_b):
    ctx = SeedContext()
    seed_disclosures(ctx, [project_a, project_b])
    counts = (RiskItem.objects.count(), ProgressMilestone.objects.count())
    seed_disclosures(ctx, [project_a, project_b])
    assert (RiskItem.objects.count(), ProgressMilestone.objects.count()) == counts
    assert RiskItem.objects.filter(is_published=False).exists()
    assert RiskItem.objects.filter(is_published=True, inside_site=True).exists()
    assert ProgressMilestone.objects.filter(is_published=False).exists()
    assert RiskItem.objects.filter(project=project_a, title="110kV变电站", distance_m=420).exists()


# --- accessibility and search engines (issue 8 rough edges) ---------------------------------


def test_public_pages_describe_themselves_and_reserve_their_pictures_space(client, project_a):
    first = risk(project_a, published=True, title="变电站", picture=png("a.png"))
    risk(project_a, published=True, title="加油站", distance=800, picture=png("b.png"))
    milestone(
        project_a, published=True, title="主体封顶", percent=60, date=datetime.date(2025, 3, 1)
    )
    risk_page = client.get(reverse("customers:public_risk", args=[project_a.code])).content.decode()
    assert '<meta name="description" content="What lies within 1 km of' in risk_page
    pictures = [line for line in risk_page.splitlines() if "<img" in line]
    assert len(pictures) == 2 and all('width="640" height="260"' in p for p in pictures)
    # The first picture is in view when the page opens: not lazy (it would shift layout).
    assert 'loading="eager"' in pictures[0] and first.title in pictures[0]
    assert 'loading="lazy"' in pictures[1]
    progress = client.get(
        reverse("customers:public_progress", args=[project_a.code])
    ).content.decode()
    assert '<meta name="description" content="Construction progress of' in progress
    assert "<h3>" not in progress and "<h2>主体封顶</h2>" in progress  # h1 → h2, no gap


def test_staff_pages_announce_help_texts_and_name_every_column(client, crm_a, company_a, unit_a):
    from customers.services import ownership_create
    from tests.customers.factories import CustomerFactory

    customer = CustomerFactory(company=company_a)
    ownership_create(
        customer=customer, unit=unit_a, by=crm_a, subscribed_on=datetime.date(2025, 1, 6)
    )
    client.force_login(crm_a)
    edit = client.get(reverse("customers:edit", args=[customer.pk])).content.decode()
    # Every help text has the id its field's aria-describedby points at.
    described = set(re.findall(r'aria-describedby="([^"]+)"', edit))
    assert described and all(f'id="{target}"' in edit for target in described)
    detail = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "<th></th>" not in detail
    overview = client.get(reverse("customers:lifecycle")).content.decode()
    assert 'class="table-wrap" tabindex="0" role="region"' in overview  # keyboard can scroll


def test_one_set_of_views_serves_both_kinds_with_their_own_urls(client, crm_a, project_a):
    """Risk items and milestones share their views and state cell (issue 8 item 9)."""
    row = milestone(
        project_a, published=False, title="主体封顶", percent=60, date=datetime.date(2025, 3, 1)
    )
    client.force_login(crm_a)
    cell = client.post(
        reverse("customers:milestone_publish", args=[row.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert reverse("customers:milestone_unpublish", args=[row.pk]) in cell
    assert "risk_item" not in cell
    row.refresh_from_db()
    assert row.is_published
    again = client.post(
        reverse("customers:milestone_publish", args=[row.pk]), HTTP_HX_REQUEST="true"
    )
    # A second click is refused, with the current state and the reason swapped in.
    assert again.status_code == 400
    html = again.content.decode()
    assert reverse("customers:milestone_unpublish", args=[row.pk]) in html
    assert "This milestone is already published." in html and 'hx-swap-oob="true"' in html


def test_the_cached_article_stays_escaped_for_hostile_text(client, project_a):
    """The public page keeps its rendered article in the cache and marks it safe when it
    puts it back (views/public.py): what staff typed must still arrive escaped, the
    first time and from the cache."""
    item = risk(project_a, published=True, title='<script>alert("x")</script>')
    RiskItem.objects.filter(pk=item.pk).update(description="<img src=x onerror=alert(1)>")
    url = reverse("customers:public_risk", args=[project_a.code])
    for _attempt in range(2):  # built, then served from the cache
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_an_update_that_leaves_a_field_out_keeps_its_stored_value(crm_a, project_a):
    """A caller that changes only the title (a script, a later API) must not turn the
    row into a database error: what it leaves out stays as stored."""
    item = risk(project_a, published=True, distance=None)
    RiskItem.objects.filter(pk=item.pk).update(inside_site=True, kind=RiskItem.Kind.OTHER)
    item.refresh_from_db()
    changed = disclosure.risk_item_update(item=item, by=crm_a, title="变电站（已迁改）")
    changed.refresh_from_db()
    assert changed.title == "变电站（已迁改）" and changed.inside_site
    assert changed.kind == RiskItem.Kind.OTHER and changed.is_published


@pytest.mark.django_db
def test_an_update_without_inside_or_outside_is_refused_by_field(crm_a, project_a):
    item = risk(project_a, published=False)
    with pytest.raises(ValidationError) as refused:
        disclosure.risk_item_update(item=item, by=crm_a, inside_site=None)
    assert list(refused.value.message_dict) == ["inside_site"]
    with pytest.raises(ValidationError) as refused:
        disclosure.risk_item_update(item=item, by=crm_a, kind="no-such-kind")
    assert list(refused.value.message_dict) == ["kind"]
    item.refresh_from_db()
    assert item.inside_site is False and item.kind == RiskItem.Kind.SUBSTATION


@pytest.mark.django_db
def test_a_new_item_left_without_inside_or_outside_is_outside_and_needs_its_distance(
    crm_a, project_a
):
    fields = {"kind": RiskItem.Kind.SUBSTATION, "title": "变电站", "description": "东北侧。"}
    with pytest.raises(ValidationError) as refused:
        disclosure.risk_item_create(project=project_a, by=crm_a, **fields)
    assert list(refused.value.message_dict) == ["distance_m"]
    item = disclosure.risk_item_create(project=project_a, by=crm_a, distance_m=300, **fields)
    assert item.inside_site is False and item.distance_m == 300
