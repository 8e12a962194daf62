from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class AuthTokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username or mobile number"), max_length=150)
    password = serializers.CharField(
        label=_("Password"), max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class AuthTokenSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("Token"), read_only=True)


class AuthErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(label=_("Message"), read_only=True)
