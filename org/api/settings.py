"""GET /api/v1/settings/: the registered settings (org.company_settings, decision
0018) with the value that applies and where it comes from. Read-only: values change on
the settings pages, through org.services.

Company staff read their own company's (the first of theirs by code, or `?company=`
one of theirs); group staff read the group defaults, or any company's with
`?company=`. Another company's id answers 404, like any record out of scope."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from vanke_crm.api import IsStaffMember

from .. import company_settings
from ..models import Company


class SettingQuerySerializer(serializers.Serializer):
    company = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("A company's id (group staff: any; company staff: one of theirs)."),
    )


class SettingChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class SettingSerializer(serializers.Serializer):
    company = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The company's id; null for the group.")
    )
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    section = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(
        choices=[
            company_settings.INT,
            company_settings.DECIMAL,
            company_settings.BOOL,
            company_settings.CHOICE,
        ],
        read_only=True,
    )
    unit = serializers.CharField(
        read_only=True, help_text=_("The unit's code (days, hours, years …); empty for none.")
    )
    unit_label = serializers.CharField(read_only=True)
    value = serializers.JSONField(
        read_only=True, help_text=_("The value that applies (a decimal as text).")
    )
    display = serializers.CharField(read_only=True)
    source = serializers.CharField(
        read_only=True,
        help_text=_("Where the value comes from: default, group or company."),
    )
    source_label = serializers.CharField(read_only=True)
    minimum = serializers.JSONField(read_only=True, allow_null=True)
    maximum = serializers.JSONField(read_only=True, allow_null=True)
    minimum_reason = serializers.CharField(read_only=True)
    bounds = serializers.CharField(read_only=True)
    company_may_override = serializers.BooleanField(read_only=True)
    help_text = serializers.CharField(read_only=True)
    choices = SettingChoiceSerializer(many=True, read_only=True)


def _row(company, setting, applies) -> dict:
    bound = setting.to_json
    return {
        "company": getattr(company, "pk", None),
        "key": setting.key,
        "label": str(setting.label),
        "section": str(setting.section),
        "kind": setting.kind,
        "unit": setting.unit,
        "unit_label": str(setting.unit_label),
        "value": setting.to_json(applies.value),
        "display": applies.display,
        "source": applies.source,
        "source_label": str(applies.source_label),
        "minimum": None if setting.minimum is None else bound(setting.minimum),
        "maximum": None if setting.maximum is None else bound(setting.maximum),
        "minimum_reason": str(setting.minimum_reason or ""),
        "bounds": setting.bounds_text(),
        "company_may_override": setting.overridable,
        "help_text": str(setting.help_text or ""),
        "choices": [{"value": code, "label": str(label)} for code, label in setting.choices],
    }


def _company(user, company_id):
    """The company asked for, in the user's scope (404 otherwise); without one, the
    group (None) for group staff, else the user's first company."""
    companies = Company.objects.for_user(user)
    if company_id is not None:
        return get_object_or_404(companies, pk=company_id)
    if user.scope.sees_all:
        return None
    company = companies.order_by("code").first()
    if company is None:
        raise Http404
    return company


class SettingViewSet(viewsets.ViewSet):
    permission_classes = [IsStaffMember]

    @extend_schema(
        operation_id="settings_list",
        parameters=[SettingQuerySerializer],
        responses={200: SettingSerializer(many=True)},
        description=_(
            "Every registered setting with the value that applies to the company (for "
            "group staff without `company`: the group defaults), its source, its bounds "
            "and whether a company may set its own value."
        ),
    )
    def list(self, request):
        query = SettingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        company = _company(request.user, query.validated_data.get("company"))
        rows = [
            _row(company, setting, company_settings.effective(company, setting.key))
            for setting in company_settings.registered()
        ]
        return Response(rows)
