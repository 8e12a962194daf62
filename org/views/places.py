"""Projects, buildings and units: read-only pages for staff in scope."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from .base import paginate, staff_view


def _crumbs(project, *items):
    company = project.company
    return [
        (_("Companies"), reverse("org:company_list")),
        (company.name, reverse("org:company_detail", args=[company.pk])),
        (project.name, reverse("org:project_detail", args=[project.pk])),
        *items,
    ]


@staff_view
def project_detail(request, pk):
    project = selectors.project_detail(request.user, pk)
    return render(
        request,
        "org/project_detail.html",
        {
            "title": project.name,
            "breadcrumbs": _crumbs(project)[:-1] + [(project.name, "")],
            "project": project,
            "buildings": selectors.project_buildings(project),
        },
    )


@staff_view
def building_detail(request, pk):
    building = selectors.building_detail(request.user, pk)
    title = _("Building %(number)s") % {"number": building.number}
    return render(
        request,
        "org/building_detail.html",
        {
            "title": title,
            "breadcrumbs": _crumbs(building.project, (title, "")),
            "building": building,
            "page_obj": paginate(request, selectors.building_units(building)),
        },
    )


@staff_view
def unit_detail(request, pk):
    unit = selectors.unit_detail(request.user, pk)
    building = unit.building
    building_title = _("Building %(number)s") % {"number": building.number}
    return render(
        request,
        "org/unit_detail.html",
        {
            "title": unit.code,
            "breadcrumbs": _crumbs(
                building.project,
                (building_title, reverse("org:building_detail", args=[building.pk])),
                (unit.code, ""),
            ),
            "unit": unit,
        },
    )
