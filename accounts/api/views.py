from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.exceptions import OwnerNotAllowed
from accounts.forms import StaffAuthenticationForm
from accounts.phone import sign_in_name
from accounts.services import api_token_issue
from vanke_crm.openapi import ValidationErrorSerializer

from .serializers import AuthErrorSerializer, AuthTokenObtainSerializer, AuthTokenSerializer


class TokenView(APIView):
    """Exchange a staff username (or mobile) and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary=gettext_lazy("Obtain an API token"),
        description=gettext_lazy(
            "Staff only. Send the username (or mobile number) and password; use the "
            "returned token as `Authorization: Token <token>`. Failed attempts count "
            "towards the same lockout as the sign-in page."
        ),
        tags=["accounts"],
        auth=[],
        request=AuthTokenObtainSerializer,
        responses={
            200: AuthTokenSerializer,
            400: OpenApiResponse(
                ValidationErrorSerializer,
                description=gettext_lazy("Wrong credentials or missing field"),
            ),
            403: OpenApiResponse(AuthErrorSerializer, description=gettext_lazy("Owner account")),
            429: OpenApiResponse(
                AuthErrorSerializer, description=gettext_lazy("Locked or throttled")
            ),
        },
    )
    def post(self, request):
        serializer = AuthTokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = sign_in_name(serializer.validated_data["username"])  # as on the page
        # django-axes watches the Django request (its middleware reads the flag there).
        django_request = request._request
        user = authenticate(
            django_request, username=username, password=serializer.validated_data["password"]
        )
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                # Answer in JSON here instead of the middleware's HTML locked page.
                django_request.axes_locked_out = False
                raise exceptions.Throttled(
                    detail=_("Too many failed sign-in attempts. Please try again later.")
                )
            message = StaffAuthenticationForm.error_messages["invalid_login"]
            return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)
        try:
            token = api_token_issue(user=user)
        except OwnerNotAllowed as exc:
            raise exceptions.PermissionDenied(exc.message) from exc
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": token.key})
