from django.urls import path

from .views import actions, io, public, staff

app_name = "customers"
urlpatterns = [
    path("p/<slug:project_code>/risk/", public.public_risk, name="public_risk"),
    *staff.urlpatterns,
    *actions.urlpatterns,
    *public.urlpatterns,
    *io.urlpatterns,
]
