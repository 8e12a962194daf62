"""Issue 7 defect 5: uploaded pictures served by the product show on the public page
under its CSP (img-src 'self') and open on their own in the browser, with no CSP error.
(Chromium's image viewer needs no inline style; the media policy that lets Firefox's
viewer style itself is asserted on the header in tests/test_media.py.)"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from customers.models import RiskItem


@pytest.fixture
def published_picture(project_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 60, 40)).save(buffer, format="PNG")
    name = default_storage.save("risk/2025/05/substation.png", ContentFile(buffer.getvalue()))
    return RiskItem.objects.create(
        project=project_a,
        kind=RiskItem.Kind.SUBSTATION,
        title="110kV变电站",
        distance_m=420,
        description="项目东北侧约420米处有一座110kV变电站。",
        is_published=True,
        picture=name,
    )


@pytest.mark.browser
def test_risk_picture_shows_on_the_page_and_in_the_image_viewer(browser_page, published_picture):
    page = browser_page
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto(reverse("customers:public_risk", args=[published_picture.project.code]))
    thumb = page.locator("img.thumb")
    thumb.wait_for()
    page.wait_for_function("() => document.querySelector('img.thumb').complete")
    assert thumb.evaluate("img => img.naturalWidth") == 64

    response = page.goto(published_picture.picture.url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    page.wait_for_function("() => document.images.length && document.images[0].complete")
    assert page.evaluate("() => document.images[0].naturalWidth") == 64
    assert csp_errors == []
