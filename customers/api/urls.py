from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("ownerships", views.OwnershipViewSet, basename="ownership")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("segments", views.SegmentViewSet, basename="segment")
urlpatterns = router.urls
