from django.urls import path

from .views import io, public, staff

app_name = "customers"
urlpatterns = [
    path("p/<slug:project_code>/risk/", public.public_risk, name="public_risk"),
    *staff.urlpatterns,
    *public.urlpatterns,
    *io.urlpatterns,
]
