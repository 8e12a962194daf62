from rest_framework.routers import SimpleRouter

from . import incidents as incident_views
from . import knowledge, views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("complaint-categories", views.CategoryViewSet, basename="complaint-category")
router.register("return-visits", views.ReturnVisitViewSet, basename="return-visit")
router.register("knowledge", knowledge.ArticleViewSet, basename="knowledge-article")
router.register("incidents", incident_views.IncidentViewSet, basename="incident")
urlpatterns = router.urls
