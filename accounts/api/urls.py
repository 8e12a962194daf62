from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import TokenView

router = SimpleRouter()
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
