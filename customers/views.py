from django.http import HttpResponse


def public_risk(request, project_code):  # replaced by the public pages below
    return HttpResponse(status=404)
