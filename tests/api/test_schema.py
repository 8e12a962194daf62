"""Acceptance 9: the OpenAPI schema generates with no warnings; the docs render."""

import pytest
from django.core.management import call_command
from django.urls import reverse


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    for path in ("/api/v1/companies/", "/api/v1/units/{id}/", "/api/v1/memberships/"):
        assert path in text


@pytest.mark.smoke
def test_schema_and_docs_pages(client, db):
    assert client.get(reverse("schema")).status_code == 200
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()
