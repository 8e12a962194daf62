"""Issue 7, defects 5 and 6: with DEBUG off a missing page or a crash shows the
product's own page, never Django's technical one, whatever state the static files,
the database or a context processor are in."""

import re

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from tests.server_urls import BOOM_MESSAGE, BOOM_PATH
from vanke_crm.error_pages import server_error

# What Django's technical 404/500 pages show and the product's pages never do.
TECHNICAL = (
    "Traceback",
    "Django tried these URL patterns",
    "Using the URLconf",
    "Request Method",
    "SECRET_KEY",
    "DATABASES",
    "Missing staticfiles manifest",
    BOOM_MESSAGE,
)


def assert_product_page(response, status, title):
    html = response.content.decode()
    assert response.status_code == status
    assert f"<title>{title} · Vanke customer relations</title>" in html
    assert f"<h1>{title}</h1>" in html
    assert re.search(r'<a class="button" href="/">Back to the home page</a>', html)
    for marker in TECHNICAL:
        assert marker not in html, marker
    return html


def failing_context_processor(request):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def crash_client(settings):
    """A client that gets the 500 response instead of the exception, on the product's
    URLs plus one that raises."""
    settings.ROOT_URLCONF = "tests.server_urls"
    return Client(raise_request_exception=False)


@pytest.fixture
def no_manifest(settings, tmp_path):
    """`make run`'s static storage before (or after a failed) collectstatic."""
    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


@pytest.fixture
def database_down_in_templates(settings):
    engine = {**settings.TEMPLATES[0]}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [
            *engine["OPTIONS"]["context_processors"],
            "tests.test_error_pages.failing_context_processor",
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.mark.django_db
def test_missing_page_shows_the_product_404_in_the_shell(client):
    html = assert_product_page(client.get("/no-such-page/"), 404, "Page not found")
    assert "The page you asked for does not exist" in html
    assert 'href="/static/css/app.css"' in html  # the shell's own stylesheet


@pytest.mark.django_db
def test_forced_error_shows_the_product_500_without_traceback(crash_client):
    response = crash_client.get(BOOM_PATH)
    html = assert_product_page(response, 500, "Server error")
    assert "Something went wrong on our side" in html


@pytest.mark.django_db
def test_500_page_is_styled_under_the_csp(crash_client):
    response = crash_client.get(BOOM_PATH)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_500_renders_without_the_static_manifest(crash_client, no_manifest):
    assert_product_page(crash_client.get(BOOM_PATH), 500, "Server error")


@pytest.mark.django_db
def test_404_renders_without_the_static_manifest(crash_client, no_manifest):
    html = assert_product_page(crash_client.get("/no-such-page/"), 404, "Page not found")
    assert "The page you asked for does not exist" in html


@pytest.mark.django_db
def test_404_renders_when_a_context_processor_fails(crash_client, database_down_in_templates):
    html = assert_product_page(crash_client.get("/no-such-page/"), 404, "Page not found")
    assert "could not connect" not in html


@pytest.mark.django_db
def test_500_renders_when_a_context_processor_fails(crash_client, database_down_in_templates):
    assert_product_page(crash_client.get(BOOM_PATH), 500, "Server error")


@pytest.mark.django_db
def test_403_keeps_its_reason_without_the_static_manifest(
    crash_client, no_manifest, handler_a, project_a
):
    crash_client.force_login(handler_a, backend="accounts.backends.UsernameOrMobileBackend")
    response = crash_client.get(f"/customers/disclosure/projects/{project_a.pk}/")
    html = assert_product_page(response, 403, "Not allowed")
    assert "Only customer-relations staff may change customer data." in html


def test_500_page_needs_no_database_and_no_user(db, django_assert_num_queries, settings):
    settings.LANGUAGE_CODE = "en"
    request = RequestFactory().get("/anything/")

    def no_user():
        raise OperationalError("the database is down")

    request.user = SimpleLazyObject(no_user)
    with django_assert_num_queries(0):
        response = server_error(request)
    assert_product_page(response, 500, "Server error")


def test_the_favicon_is_served_instead_of_a_404_on_every_page(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_pages_and_json_are_compressed_and_pictures_are_not(client, db):
    from django.http import HttpResponse

    from vanke_crm.compression import TextGZipMiddleware

    page = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    picture = HttpResponse(b"\x89PNG" + b"\x00" * 1000, content_type="image/png")
    request = type("R", (), {"META": {"HTTP_ACCEPT_ENCODING": "gzip"}})()
    middleware = TextGZipMiddleware(lambda r: picture)
    assert not middleware.process_response(request, picture).has_header("Content-Encoding")
