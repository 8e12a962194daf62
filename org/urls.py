from django.urls import path

from .views import calendar, companies, homes, places, settings, staff

app_name = "org"
urlpatterns = [
    # role homes
    path("group/", homes.group_home, name="group_home"),
    path("workbench/", homes.workbench, name="workbench"),
    path("dashboard/", homes.dashboard, name="dashboard"),
    path("my-tasks/", homes.my_tasks, name="my_tasks"),
    # companies and departments
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("companies/<int:pk>/history/", companies.company_history, name="company_history"),
    path("companies/<int:pk>/settings/", settings.company_settings_page, name="company_settings"),
    # settings (org.company_settings)
    path("settings/", settings.settings_home, name="settings_home"),
    path("settings/group/", settings.group_settings_page, name="group_settings"),
    # the working calendar (org.working_time)
    path("companies/<int:pk>/calendar/", calendar.company_calendar, name="company_calendar"),
    path("calendar/", calendar.calendar_home, name="calendar_home"),
    path("calendar/group/", calendar.group_calendar, name="group_calendar"),
    path(
        "calendar/entries/<int:pk>/remove/",
        calendar.working_day_remove,
        name="working_day_remove",
    ),
    path(
        "companies/<int:company_pk>/departments/new/",
        companies.department_create,
        name="department_create",
    ),
    path("departments/<int:pk>/", companies.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", companies.department_edit, name="department_edit"),
    # staff and roles
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/history/", staff.staff_history, name="staff_history"),
    path(
        "staff/<int:pk>/deactivate/",
        staff.staff_set_active,
        {"active": False},
        name="staff_deactivate",
    ),
    path(
        "staff/<int:pk>/activate/", staff.staff_set_active, {"active": True}, name="staff_activate"
    ),
    path("staff/<int:user_pk>/roles/new/", staff.membership_grant, name="membership_grant"),
    path("memberships/<int:pk>/revoke/", staff.membership_revoke, name="membership_revoke"),
    # places (read-only)
    path("projects/<int:pk>/", places.project_detail, name="project_detail"),
    path("buildings/<int:pk>/", places.building_detail, name="building_detail"),
    path("units/<int:pk>/", places.unit_detail, name="unit_detail"),
]
