from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("complaint-categories", views.CategoryViewSet, basename="complaint-category")
urlpatterns = router.urls
