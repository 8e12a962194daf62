"""Issue 7, defect 5: uploaded files are served through the product. Risk pictures and
progress photos of published rows go to anyone; drafts' only to staff of the project's
company; anything else stored (import uploads …) and every odd path is a 404."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from customers.models import ProgressMilestone, RiskItem
from vanke_crm.media import MEDIA_CSP

BACKEND = "accounts.backends.UsernameOrMobileBackend"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LANGUAGE_CODE = "en"


def png_bytes(colour=(180, 200, 220)):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def stored(name, content=None):
    return default_storage.save(name, ContentFile(content or png_bytes()))


def risk(project, *, published, picture):
    return RiskItem.objects.create(
        project=project,
        kind=RiskItem.Kind.SUBSTATION,
        title="110kV变电站",
        distance_m=420,
        description="项目东北侧的变电站。",
        is_published=published,
        picture=picture,
    )


def milestone(project, *, published, photo):
    return ProgressMilestone.objects.create(
        project=project,
        title="主体封顶",
        percent=60,
        date="2025-05-20",
        is_published=published,
        photo=photo,
    )


def content(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_published_risk_picture_is_served_to_anyone(client, project_a):
    data = png_bytes()
    item = risk(project_a, published=True, picture=stored("risk/2025/05/sub.png", data))
    response = client.get(item.picture.url)
    assert response.status_code == 200
    assert content(response) == data
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    # Not the page policy (style-src with a nonce breaks the browser's image viewer).
    assert response["Content-Security-Policy"] == MEDIA_CSP


@pytest.mark.django_db
def test_public_page_pictures_load_under_its_csp(client, project_a):
    data = png_bytes((10, 20, 30))
    risk(project_a, published=True, picture=stored("risk/2025/05/road.png", data))
    milestone(project_a, published=True, photo=stored("progress/2025/05/top.png", data))
    for page in ("risk", "progress"):
        response = client.get(f"/customers/p/{project_a.code}/{page}/")
        assert "img-src 'self'" in response["Content-Security-Policy"]
        sources = re.findall(r'<img class="thumb" src="([^"]+)"', response.content.decode())
        assert sources and all(src.startswith("/media/") for src in sources)
        for src in sources:
            picture = client.get(src)
            assert picture.status_code == 200, src
            assert content(picture) == data


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["risk", "milestone"])
def test_draft_picture_only_for_staff_of_the_company(client, project_a, crm_a, crm_b, kind):
    if kind == "risk":
        url = risk(project_a, published=False, picture=stored("risk/2025/05/d.png")).picture.url
    else:
        url = milestone(project_a, published=False, photo=stored("progress/2025/05/d.png"))
        url = url.photo.url
    assert client.get(url).status_code == 404
    client.force_login(crm_b, backend=BACKEND)
    assert client.get(url).status_code == 404
    client.force_login(crm_a, backend=BACKEND)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.django_db
def test_group_staff_see_drafts_of_every_company(client, project_b, group_staff):
    item = risk(project_b, published=False, picture=stored("risk/2025/05/g.png"))
    client.force_login(group_staff, backend=BACKEND)
    assert client.get(item.picture.url).status_code == 200


@pytest.mark.django_db
def test_stored_file_no_row_shows_is_404(client, project_a):
    item = risk(project_a, published=True, picture=stored("risk/2025/05/new.png"))
    old = stored("risk/2025/05/replaced.png")  # a picture that was replaced since
    assert client.get(item.picture.url).status_code == 200
    assert client.get(f"/media/{old}").status_code == 404


@pytest.mark.django_db
def test_unregistered_folders_are_never_served(client, project_a, crm_a):
    name = stored("imports/2026/01/customers.xlsx", b"PK\x03\x04 workbook")
    client.force_login(crm_a, backend=BACKEND)
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/media/risk/../imports/2026/01/customers.xlsx",
        "/media/risk/%2e%2e/imports/2026/01/customers.xlsx",
        "/media/risk/2025/05/../../../imports/2026/01/customers.xlsx",
        "/media/risk//2025/05/sub.png",
        "/media/risk/2025/05/./sub.png",
        "/media/risk/..%2f..%2fsecret.txt",
        "/media/risk/%5c..%5csecret.txt",
        "/media/risk/sub.png%00.txt",
    ],
)
def test_path_tricks_are_404(client, project_a, path, settings, tmp_path):
    risk(project_a, published=True, picture=stored("risk/2025/05/sub.png"))
    stored("imports/2026/01/customers.xlsx", b"PK\x03\x04 workbook")
    (tmp_path / "secret.txt").write_text("not for the web")
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["risk/2025/05/notes.pdf", "risk/2025/05/drawing.svg"])
def test_files_that_are_not_raster_pictures_download(client, project_a, name):
    item = risk(project_a, published=True, picture=stored(name, b"<svg onload=alert(1)>"))
    response = client.get(item.picture.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_picture_missing_on_disk_is_404(client, project_a):
    item = risk(project_a, published=True, picture="risk/2025/05/gone.png")
    assert client.get(item.picture.url).status_code == 404


@pytest.mark.django_db
def test_media_is_read_only(client, project_a):
    item = risk(project_a, published=True, picture=stored("risk/2025/05/sub.png"))
    assert client.post(item.picture.url).status_code == 405
    assert client.head(item.picture.url).status_code == 200
