from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("p/<slug:project_code>/risk/", views.public_risk, name="public_risk"),
]
