from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("buildings", views.BuildingViewSet, basename="building")
router.register("units", views.UnitViewSet, basename="unit")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("memberships", views.MembershipViewSet, basename="membership")
urlpatterns = router.urls
