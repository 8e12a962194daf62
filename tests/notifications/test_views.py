import pytest
from django.urls import reverse

from accounts.models import User
from notifications.models import InboxItem
from tests.factories import UserFactory

from .helpers import deliver_inbox

pytestmark = pytest.mark.usefixtures("enqueued")


def login(client, user):
    client.force_login(user)
    return client


def test_inbox_requires_login(client, db):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_inbox_lists_own_items_newest_first_unread_bold(client, crm_a, crm_b):
    deliver_inbox(crm_a, title="第一条")
    second = deliver_inbox(crm_a, title="第二条", link="/org/companies/1/")
    deliver_inbox(crm_b, title="别人的通知")
    response = login(client, crm_a).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("第二条") < html.index("第一条")
    assert "别人的通知" not in html
    assert f'id="inbox-item-{second.pk}" class="unread"' in html
    assert 'href="/org/companies/1/"' in html
    assert response.context["title"]
    assert response.context["breadcrumbs"]


def test_inbox_does_not_link_to_other_sites(client, crm_a):
    deliver_inbox(crm_a, title="钓鱼", link="https://evil.example.com/")
    html = login(client, crm_a).get(reverse("notifications:inbox")).content.decode()
    assert "evil.example.com" not in html


def test_inbox_empty_state(client, crm_a):
    response = login(client, crm_a).get(reverse("notifications:inbox"))
    assert b'data-testid="empty-state"' in response.content


def test_inbox_paginates_and_filters_unread(client, crm_a, django_assert_max_num_queries):
    items = [deliver_inbox(crm_a, title=f"通知{i}") for i in range(30)]
    InboxItem.objects.filter(pk=items[0].pk).update(read_at="2024-01-01T00:00:00Z")
    login(client, crm_a)
    with django_assert_max_num_queries(8):
        page1 = client.get(reverse("notifications:inbox"))
    assert len(page1.context["page_obj"].object_list) == 25
    page2 = client.get(reverse("notifications:inbox"), {"page": 2})
    assert len(page2.context["page_obj"].object_list) == 5
    unread = client.get(reverse("notifications:inbox"), {"unread": "1", "page": "x"})
    assert unread.context["page_obj"].paginator.count == 29


def test_owner_may_not_open_staff_inbox(client, db):
    owner = UserFactory(kind=User.Kind.OWNER)
    response = login(client, owner).get(reverse("notifications:inbox"))
    assert response.status_code == 403


def test_mark_read_by_form_post_redirects_back(client, crm_a):
    item = deliver_inbox(crm_a)
    response = login(client, crm_a).post(
        reverse("notifications:mark_read", args=[item.pk]), {"next": "/notifications/?page=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_read_ignores_an_offsite_next(client, crm_a):
    item = deliver_inbox(crm_a)
    response = login(client, crm_a).post(
        reverse("notifications:mark_read", args=[item.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_read_by_htmx_returns_the_row(client, crm_a):
    item = deliver_inbox(crm_a)
    response = login(client, crm_a).post(
        reverse("notifications:mark_read", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="inbox-item-{item.pk}" class=""')
    assert "<html" not in html


def test_mark_read_of_another_users_item_is_404(client, crm_a, crm_b):
    item = deliver_inbox(crm_b)
    response = login(client, crm_a).post(reverse("notifications:mark_read", args=[item.pk]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_read_by_get_is_refused(client, crm_a):
    item = deliver_inbox(crm_a)
    response = login(client, crm_a).get(reverse("notifications:mark_read", args=[item.pk]))
    assert response.status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read(client, crm_a, crm_b):
    deliver_inbox(crm_a)
    deliver_inbox(crm_a)
    deliver_inbox(crm_b)
    response = login(client, crm_a).post(reverse("notifications:mark_all_read"), follow=True)
    assert response.status_code == 200
    assert not InboxItem.objects.filter(user=crm_a, read_at__isnull=True).exists()
    assert InboxItem.objects.filter(user=crm_b, read_at__isnull=True).count() == 1


def test_mark_all_read_requires_login(client, crm_a):
    deliver_inbox(crm_a)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert InboxItem.objects.filter(read_at__isnull=True).count() == 1
