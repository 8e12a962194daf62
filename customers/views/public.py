"""Public project pages (no login): risk disclosure and construction progress."""

from django.http import Http404

urlpatterns: list = []


def public_risk(request, project_code):
    raise Http404
