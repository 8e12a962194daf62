from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.models import Company, Project

from ..models import PROFILE_FIELDS, Customer, Ownership, Segment, Visit
from ..services.ownership import OWNERSHIP


class UnitSummarySerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    project = serializers.CharField(source="unit.building.project.name", read_only=True)

    class Meta:
        model = Ownership
        fields = ["id", "project", "unit_code", "role", "status"]


class CustomerSerializer(serializers.ModelSerializer):
    """ID numbers are masked for everyone: group staff reveal one through the recorded
    `reveal-id` action, as on the page."""

    company = serializers.PrimaryKeyRelatedField(queryset=Company.objects.all())
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=18)
    units = UnitSummarySerializer(many=True, read_only=True)
    step_label = serializers.CharField(source="get_step_display", read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "company",
            *PROFILE_FIELDS,
            "kind",
            "step",
            "step_label",
            "tags",
            "marketing_consent",
            "consent_at",
            "consent_channel",
            "merged_into",
            "units",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["kind", "step", "consent_at", "merged_into", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["id_number"] = instance.id_number_masked
        return data


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField(read_only=True)


class OwnershipSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    project = serializers.IntegerField(source="unit.building.project_id", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Ownership
        fields = [
            "id",
            "customer",
            "unit",
            "unit_code",
            "project",
            "role",
            "status",
            "subscribed_on",
            "contracted_on",
            "price",
            "delivery_due_on",
            "handover_on",
            "warranty_start_on",
            "ended_on",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, ownership) -> list:
        """What the signed-in user may do now (POST them to `act/`)."""
        from vanke_crm.transitions import available_actions

        request = self.context.get("request")
        if request is None:
            return []
        return [rule.action for rule in available_actions(ownership, request.user)]


class OwnershipActSerializer(serializers.Serializer):
    """One transition of an ownership: the action and what it asks for."""

    action = serializers.ChoiceField(choices=[rule.action for rule in OWNERSHIP.transitions])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contracted_on = serializers.DateField(required=False)
    handover_on = serializers.DateField(required=False)


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = [
            "id",
            "customer",
            "project",
            "kind",
            "visited_at",
            "source",
            "needs",
            "companions",
            "companions_note",
            "note",
            "is_first",
            "registered_by",
        ]
        read_only_fields = fields


class VisitRegisterSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=64)
    mobile = serializers.CharField(max_length=20)
    source = serializers.ChoiceField(
        choices=Customer.Source.choices, default=Customer.Source.WALK_IN
    )
    needs = serializers.CharField(required=False, allow_blank=True, default="")
    companions = serializers.IntegerField(min_value=0, max_value=20, default=0)
    companions_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class SegmentSerializer(serializers.ModelSerializer):
    count = serializers.SerializerMethodField()

    class Meta:
        model = Segment
        fields = ["id", "company", "name", "filters", "count", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_count(self, segment) -> int:
        from ..filters import customers_matching

        return customers_matching(self.context["request"].user, segment.filters).count()
