from django.urls import path

from .views import actions, charts, config, io, public, staff

app_name = "customers"
urlpatterns = [
    path("p/<slug:project_code>/risk/", public.public_risk, name="public_risk"),
    *staff.urlpatterns,
    *actions.urlpatterns,
    *config.urlpatterns,
    *public.urlpatterns,
    *io.urlpatterns,
    *charts.urlpatterns,
]
