"""GET /api/v1/: what the API offers, for someone who types its address.

Lists every collection the apps' routers register (their `<basename>-list` URLs) and
the token operation, with links to the schema and the interactive docs; nothing here
is secret, so anyone may read it (the collections themselves need a staff token)."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

API_PREFIX = "api/v1/"
EXTRA = ("auth-token",)  # operations that are not a collection but belong on the list


def _api_patterns():
    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and str(top.pattern) == API_PREFIX:
            yield from _flatten(top.url_patterns)


def _flatten(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _flatten(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def endpoint_names() -> list[str]:
    """URL names of the collections under /api/v1/, in registration order."""
    names = []
    for pattern in _api_patterns():
        name = pattern.name
        if (name.endswith("-list") or name in EXTRA) and name not in names:
            names.append(name)
    return names


class ApiRootSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    endpoints = serializers.DictField(
        child=serializers.URLField(),
        read_only=True,
        help_text="Each collection (and the token operation) by name, with its URL.",
    )
    schema = serializers.URLField(read_only=True, help_text="The OpenAPI schema.")
    docs = serializers.URLField(read_only=True, help_text="The interactive documentation.")


class ApiRootView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        summary=_("What the API offers"),
        description=_(
            "The collections of this API with their addresses, and where the schema and "
            "its documentation are. Needs no token."
        ),
        tags=["api"],
        auth=[],
        responses={200: ApiRootSerializer},
    )
    def get(self, request):
        endpoints = {}
        for name in endpoint_names():
            key = name.removesuffix("-list").replace("-", "_")
            endpoints[key] = request.build_absolute_uri(reverse(name))
        return Response(
            {
                "name": "vanke_crm API v1",
                "description": str(_("Customer relations of the Vanke group's companies.")),
                "endpoints": endpoints,
                "schema": request.build_absolute_uri(reverse("schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            }
        )
