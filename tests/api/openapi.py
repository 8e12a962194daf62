"""The project's OpenAPI schema as schemathesis sees it, and a check that a response of
the Django test client is one the schema documents (status, content type, body)."""

import functools
import json

import requests
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator


def load_schema(config=None):
    """The schema /api/schema/ serves; calls go in-process through the WSGI app."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated)), config=config)
    loaded.app = get_wsgi_application()
    return loaded


@functools.cache
def api_schema():
    return load_schema()


def assert_documented(response, method: str, path: str):
    """Fails (with schemathesis's report) unless the schema of `method path` (a path
    template such as /api/v1/visits/{id}/) documents this response."""
    request = requests.Request(method, f"http://testserver{response.request['PATH_INFO']}")
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request.prepare(),
        elapsed=0.0,
        verify=True,
    )
    api_schema()[path][method].validate_response(answer)
