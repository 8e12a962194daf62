from .views import case, intake, queue, tasks

app_name = "complaints"
urlpatterns = [
    *queue.urlpatterns,
    *intake.urlpatterns,
    *case.urlpatterns,
    *tasks.urlpatterns,
]
