import pytest
from rest_framework.test import APIClient

from notifications.models import InboxItem

from .helpers import deliver_inbox

pytestmark = pytest.mark.usefixtures("enqueued")


@pytest.fixture
def api():
    return APIClient()


def test_list_shows_only_own_items(api, crm_a, crm_b):
    mine = deliver_inbox(crm_a, title="我的")
    deliver_inbox(crm_b, title="别人的")
    api.force_authenticate(crm_a)
    response = api.get("/api/v1/inbox/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert response.json()["results"][0]["is_read"] is False


def test_filter_by_unread(api, crm_a):
    read = deliver_inbox(crm_a, title="已读")
    unread = deliver_inbox(crm_a, title="未读")
    InboxItem.objects.filter(pk=read.pk).update(read_at="2024-01-01T00:00:00Z")
    api.force_authenticate(crm_a)
    ids = [r["id"] for r in api.get("/api/v1/inbox/", {"unread": "true"}).json()["results"]]
    assert ids == [unread.pk]
    ids = [r["id"] for r in api.get("/api/v1/inbox/", {"unread": "false"}).json()["results"]]
    assert ids == [read.pk]


def test_mark_read(api, crm_a):
    item = deliver_inbox(crm_a)
    api.force_authenticate(crm_a)
    response = api.post(f"/api/v1/inbox/{item.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True


def test_another_users_item_is_invisible(api, crm_a, crm_b):
    item = deliver_inbox(crm_b)
    api.force_authenticate(crm_a)
    assert api.post(f"/api/v1/inbox/{item.pk}/read/").status_code == 404
    assert api.post("/api/v1/inbox/abc/read/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_read_all_marks_only_own(api, crm_a, crm_b):
    deliver_inbox(crm_a)
    deliver_inbox(crm_b)
    api.force_authenticate(crm_a)
    assert api.post("/api/v1/inbox/read-all/").json() == {"marked": 1}
    assert InboxItem.objects.filter(read_at__isnull=True).count() == 1


def test_anonymous_is_refused(api, db):
    assert api.get("/api/v1/inbox/").status_code in (401, 403)
