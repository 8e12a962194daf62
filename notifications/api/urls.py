from rest_framework.routers import SimpleRouter

from .views import InboxItemViewSet

router = SimpleRouter()
router.register("inbox", InboxItemViewSet, basename="inbox")
urlpatterns = router.urls
