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


# --- the working calendar (org.working_time) ------------------------------------------

INT_MAX = 2**31 - 1  # a larger id would overflow the database's integer, not find nothing
# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (customers' `source` is another enum).
DAY_SOURCES = ["official", "group", "company"]


class WorkingCalendarQuerySerializer(serializers.Serializer):
    company = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=INT_MAX,
        help_text="The company whose calendar to read; without it the group-wide days "
        "(group CRM staff only).",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Defaults to the current year.",
    )


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    is_working = serializers.BooleanField(read_only=True)
    kind = serializers.ChoiceField(
        choices=["public_holiday", "make_up_working_day", "day_off", "working_day"],
        read_only=True,
        help_text="public_holiday and make_up_working_day come from the official calendar; "
        "day_off and working_day are entries of the company or the group.",
    )
    name = serializers.CharField(read_only=True, help_text="The holiday, or the entry's reason.")
    source = serializers.ChoiceField(
        choices=DAY_SOURCES,
        read_only=True,
        help_text="Who decided the day: the official calendar, a group-wide entry or the "
        "company's own entry.",
    )
    source_display = serializers.CharField(read_only=True)
    entry = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The entry's id (null for official days)."
    )
    created_by = serializers.CharField(read_only=True, help_text="Who made the entry.")
    official_name = serializers.CharField(
        read_only=True, help_text="The official holiday under an entry, if any."
    )


class WorkingCalendarSerializer(serializers.Serializer):
    company = serializers.IntegerField(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True)
    official_known = serializers.BooleanField(
        read_only=True,
        help_text="False when the installed calendar does not know the year's public "
        "holidays yet: Monday to Friday count as working days.",
    )
    days = CalendarDaySerializer(many=True, read_only=True)
