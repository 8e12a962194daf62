"""GET /api/v1/ lists what the API offers (issue 8: it answered 404); the schema has
one tag per app and speaks the reader's language."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.openapi import assert_documented


@pytest.mark.django_db
def test_api_root_lists_every_collection_and_the_token_operation(client):
    response = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    endpoints = body["endpoints"]
    for name, path in {
        "company": "/api/v1/companies/",
        "unit": "/api/v1/units/",
        "customer": "/api/v1/customers/",
        "visit": "/api/v1/visits/",
        "segment": "/api/v1/segments/",
        "inbox": "/api/v1/inbox/",
        "auth_token": "/api/v1/auth/token/",
    }.items():
        assert endpoints[name] == f"http://testserver{path}"
    assert body["schema"] == "http://testserver" + reverse("schema")
    assert body["docs"] == "http://testserver" + reverse("api-docs")
    assert_documented(response, "GET", "/api/v1/")
    # Every listed collection exists (a staff token is needed to read it).
    for url in endpoints.values():
        assert client.get(url.removeprefix("http://testserver")).status_code != 404


@pytest.mark.django_db
def test_api_root_speaks_chinese():
    response = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/v1/")
    assert response.json()["description"] == "万科集团各公司的客户关系。"


@pytest.mark.django_db
def test_an_unknown_api_address_still_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
def test_schema_has_one_tag_per_app_and_translates_the_token_operation(client):
    schema = client.get(reverse("schema") + "?format=json&lang=zh-hans").json()
    tags = {tag for path in schema["paths"].values() for op in path.values() for tag in op["tags"]}
    assert tags == {"api", "accounts", "org", "customers", "complaints", "notifications"}
    assert {tag["name"] for tag in schema["tags"]} >= tags
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token["summary"] == "获取 API 令牌"
    assert "仅限员工" in token["description"]
    assert schema["info"]["description"].startswith("客户关系管理")
