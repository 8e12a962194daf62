from .views import (
    case,
    incidents,
    intake,
    knowledge,
    portal,
    queue,
    reassign,
    supervision,
    tasks,
    visits,
)

app_name = "complaints"
urlpatterns = [
    *queue.urlpatterns,
    *intake.urlpatterns,
    *case.urlpatterns,
    *incidents.urlpatterns,
    *tasks.urlpatterns,
    *reassign.urlpatterns,
    *portal.urlpatterns,
    *visits.urlpatterns,
    *knowledge.urlpatterns,
    *supervision.urlpatterns,
]
