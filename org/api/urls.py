from django.urls import path
from rest_framework.routers import SimpleRouter

from . import settings, views

router = SimpleRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("buildings", views.BuildingViewSet, basename="building")
router.register("units", views.UnitViewSet, basename="unit")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("settings", settings.SettingViewSet, basename="setting")
urlpatterns = [
    *router.urls,
    # One object per company and year, not a collection of rows; named like the lists so
    # that the API root (vanke_crm.api_root) offers it.
    path("working-calendar/", views.WorkingCalendarView.as_view(), name="working-calendar-list"),
]
