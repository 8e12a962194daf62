"""API conventions shared by every app: pagination, permissions, errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination

from org.scoping import RoleRequired
from vanke_crm.paging import Paginator


class Pagination(PageNumberPagination):
    """Page numbers with a count that is exact up to vanke_crm.paging.EXACT_UP_TO rows
    and PostgreSQL's estimate above (`count_is_exact` says which; decision 0019)."""

    django_paginator_class = Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_exact"] = self.page.paginator.count_is_exact
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": "False when `count` is an estimate (more rows than can be "
            "counted on every page).",
        }
        return schema


class IsStaffMember(permissions.BasePermission):
    """Signed-in staff with at least one active membership (owners use their portal)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.scope.is_staff_member)


def exception_handler(exc, context):
    """Domain refusals become API errors with their translated message."""
    # Imported here: rest_framework.views imports this module through the settings.
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.serializers import as_serializer_error
    from rest_framework.views import exception_handler as drf_exception_handler

    from vanke_crm.errors import DomainError

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DomainError):
        body = {exc.field: [str(exc)]} if exc.field else {"detail": str(exc)}
        exc = exceptions.ValidationError(body)
    elif isinstance(exc, RoleRequired):
        exc = exceptions.PermissionDenied(str(exc.args[0]))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = with_detail(response.data)
    return response


def with_detail(errors) -> dict:
    """Every error body has a `detail` string (the schema says so: vanke_crm.openapi);
    a 400 keeps its messages per field beside it."""
    from django.utils.translation import gettext as _

    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors}
    general = errors.get("detail", errors.get("non_field_errors"))
    if isinstance(general, str):
        return errors
    if general:
        detail = " ".join(str(message) for message in general)
    else:
        fields = ", ".join(str(name) for name in errors)
        detail = _("Please correct these fields: %(fields)s.") % {"fields": fields}
    return {**errors, "detail": detail}


class ScopedViewSetMixin:
    """`get_queryset` starts from `Model.objects.for_user(user)`: a row of another
    company is simply not there (404), and no filter can reach it."""

    scoped_model = None

    def get_queryset(self):
        # The model's own reader roles and narrowing apply (org/querysets.py).
        return self.scoped_model.objects.for_user(self.request.user)


@csrf_exempt  # token clients send no CSRF token; this view changes nothing anyway
def not_found(request, *args, **kwargs):
    """A URL under /api/v1/ that names no resource answers like any API 404 (JSON with
    `detail`), not with the HTML page meant for people."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
