from .views import case, intake, portal, queue, tasks, visits

app_name = "complaints"
urlpatterns = [
    *queue.urlpatterns,
    *intake.urlpatterns,
    *case.urlpatterns,
    *tasks.urlpatterns,
    *portal.urlpatterns,
    *visits.urlpatterns,
]
