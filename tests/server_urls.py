"""The product's URLs plus /test-only/boom/, which raises (tests only)."""

from django.urls import path

from vanke_crm import urls as product

BOOM_PATH = "/test-only/boom/"
BOOM_MESSAGE = "forced error for the test of the product's 500 page"


def boom(request):
    raise RuntimeError(BOOM_MESSAGE)


urlpatterns = [*product.urlpatterns, path(BOOM_PATH.strip("/") + "/", boom)]
handler400 = product.handler400
handler403 = product.handler403
handler404 = product.handler404
handler500 = product.handler500
