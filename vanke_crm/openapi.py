"""The OpenAPI schema says what the API answers, errors included.

Every operation documents the error bodies it can give (see vanke_crm.api's exception
handler, which shapes them): 400 where it takes input, 403 and 404 where it needs a
signed-in staff member (anything outside the user's scope is a 404). Read-only choice
fields of blank model fields list "" among their values, since responses carry it.
tests/api/test_schemathesis.py calls every operation and checks the answers against
this schema.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True, help_text="The message to show.")


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True, help_text="What to correct, in one sentence.")


class ValidationErrorExtension(OpenApiSerializerExtension):
    """Besides `detail`, a 400 names each field it refuses with that field's messages."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        messages = {"type": "array", "items": {"type": "string"}}
        schema["additionalProperties"] = {"oneOf": [messages, {"type": "object"}]}
        return schema


ERRORS = {
    "400": OpenApiResponse(
        ValidationErrorSerializer,
        description="Invalid input: `detail` says what to correct; every other key is a "
        "field (or `non_field_errors`) with its messages.",
    ),
    "403": OpenApiResponse(
        ErrorSerializer, description="Not signed in as staff, or the role does not allow it."
    ),
    "404": OpenApiResponse(
        ErrorSerializer, description="No such record in your scope (or no such page)."
    ),
}


class AutoSchema(SpectacularAutoSchema):
    def get_tags(self):
        """One tag per app (the app that defines the view), described in
        SPECTACULAR_SETTINGS["TAGS"]; not one per collection."""
        return [type(self.view).__module__.split(".")[0]]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        takes_input = "requestBody" in operation or any(
            parameter["in"] == "query" for parameter in operation.get("parameters", [])
        )
        codes = ["400"] if takes_input else []
        if operation.get("security"):
            codes += ["403", "404"]
        responses = operation["responses"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _read_only_blank_choice(field):
            # DRF drops allow_blank from read-only fields, but the value can still be "".
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _read_only_blank_choice(field) -> bool:
    if not (isinstance(field, serializers.ChoiceField) and field.read_only):
        return False
    if field.allow_blank or len(getattr(field, "source_attrs", ())) != 1:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None:
        return False
    try:
        return model._meta.get_field(field.source_attrs[0]).blank
    except FieldDoesNotExist:
        return False
