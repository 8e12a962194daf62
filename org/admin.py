"""Django admin for group staff; the product's own pages (org.views) are the main
door, and changes here are recorded in the same history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import company_settings
from .models import (
    Building,
    Company,
    CompanySetting,
    Department,
    Group,
    Membership,
    Project,
    Unit,
)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "city", "is_active"]
    list_filter = ["is_active", "city"]
    search_fields = ["name", "code", "city"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "company", "district"]
    list_filter = ["company"]
    search_fields = ["name", "code"]
    list_select_related = ["company"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["number", "project", "floors"]
    list_filter = ["project__company"]
    search_fields = ["number", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "building", "floor", "layout", "area"]
    list_filter = ["building__project__company"]
    search_fields = ["code", "building__project__name"]
    list_select_related = ["building__project"]
    autocomplete_fields = ["building"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "company"]
    list_filter = ["kind", "company"]
    search_fields = ["name"]
    list_select_related = ["company"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "company", "department", "is_active"]
    list_filter = ["role", "is_active", "company"]
    search_fields = ["user__username", "user__name", "user__mobile"]
    list_select_related = ["user", "company", "department__company"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["department"]


@admin.register(CompanySetting)
class CompanySettingAdmin(SimpleHistoryAdmin):
    """Read-only: values change on the settings pages, where the registry checks type
    and bounds (org.services.setting_set); here group staff see what is stored."""

    list_display = ["key", "label", "company", "value", "updated_at"]
    list_filter = ["key", "company"]
    search_fields = ["key", "company__name", "company__code"]
    list_select_related = ["company"]

    @admin.display(description=_("label"))
    def label(self, obj):
        try:
            return company_settings.get(obj.key).label
        except KeyError:  # a row of a setting no app declares any more
            return "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
