from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from health.views import healthz
from vanke_crm.api import not_found

from . import media, views
from .api_root import ApiRootView

api_v1 = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("", include("org.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("complaints.api.urls")),
    # Last: any other URL ending in a slash (no slash: APPEND_SLASH redirects here first).
    re_path(r"^(?:.*/)?$", not_found),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("notifications/", include("notifications.urls")),
    path("customers/", include("customers.urls")),
    path("complaints/", include("complaints.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Uploaded files, each folder behind its registered access check (whatever DEBUG says).
    path("media/<path:name>", media.serve, name="media"),
]

handler400 = "vanke_crm.error_pages.bad_request"
handler403 = "vanke_crm.error_pages.permission_denied"
handler404 = "vanke_crm.error_pages.page_not_found"
handler500 = "vanke_crm.error_pages.server_error"
