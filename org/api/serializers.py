"""Organisation resources. Writes go through org.services; serializers only shape."""

from rest_framework import serializers

from accounts.models import User

from ..models import Building, Company, Department, Membership, Project, Unit


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "id",
            "group",
            "name",
            "code",
            "city",
            "address",
            "hotline",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["group", "created_at", "updated_at"]


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "company", "name", "code", "address", "district"]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "project", "number", "floors"]


class UnitSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="building.project_id", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "building",
            "project",
            "code",
            "entrance",
            "floor",
            "number",
            "layout",
            "area",
        ]


class DepartmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "company", "kind", "kind_display", "name"]


class MembershipSerializer(serializers.ModelSerializer):
    """Read shape; `user_name` and `role_display` save the client a lookup."""

    user_name = serializers.CharField(source="user.display_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "user_name",
            "company",
            "role",
            "role_display",
            "department",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(kind=User.Kind.STAFF))
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices)
    company = serializers.PrimaryKeyRelatedField(
        queryset=Company.objects.all(), required=False, allow_null=True
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )


class MembershipUpdateSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(
        required=False, help_text="false removes the role (it cannot be set back to true here)."
    )
