from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("owner/", views.owner_home, name="owner_home"),
    path("owner/register/", views.owner_register, name="owner_register"),
    path("owner/register/verify/", views.owner_register_verify, name="owner_register_verify"),
    path("owner/login/", views.owner_login, name="owner_login"),
    path("owner/login/password/", views.owner_login_password, name="owner_login_password"),
]
