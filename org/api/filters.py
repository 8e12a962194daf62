"""Filters for the organisation API. Choices of related rows are scoped too: asking
for another company's id is the same "not a valid choice" as asking for a missing
one, and the base queryset is scoped anyway, so no filter reaches another company."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from ..models import Building, Company, Department, Membership, Project, Role, Unit


def _scoped(model):
    def queryset(request):
        if request is None:  # schema generation
            return model.objects.none()
        return model.objects.for_user(request.user)

    return queryset


class CompanyFilter(filters.FilterSet):
    class Meta:
        model = Company
        fields = {"code": ["exact"], "city": ["exact"], "is_active": ["exact"]}


class ProjectFilter(filters.FilterSet):
    company = filters.ModelChoiceFilter(queryset=_scoped(Company))

    class Meta:
        model = Project
        fields = {"code": ["exact"], "district": ["exact"]}


class BuildingFilter(filters.FilterSet):
    company = filters.ModelChoiceFilter(
        field_name="project__company", queryset=_scoped(Company), label=_("company")
    )
    project = filters.ModelChoiceFilter(queryset=_scoped(Project))

    class Meta:
        model = Building
        fields = {"number": ["exact"]}


class UnitFilter(filters.FilterSet):
    company = filters.ModelChoiceFilter(
        field_name="building__project__company", queryset=_scoped(Company), label=_("company")
    )
    project = filters.ModelChoiceFilter(
        field_name="building__project", queryset=_scoped(Project), label=_("project")
    )
    building = filters.ModelChoiceFilter(queryset=_scoped(Building))
    code = filters.CharFilter(lookup_expr="iexact", label=_("unit code, e.g. 3-2-1201"))
    code_contains = filters.CharFilter(
        field_name="code", lookup_expr="icontains", label=_("unit code contains")
    )

    class Meta:
        model = Unit
        fields = {"floor": ["exact"], "layout": ["exact"]}


class DepartmentFilter(filters.FilterSet):
    company = filters.ModelChoiceFilter(queryset=_scoped(Company))

    class Meta:
        model = Department
        fields = {"kind": ["exact"]}


class MembershipFilter(filters.FilterSet):
    company = filters.ModelChoiceFilter(queryset=_scoped(Company))
    department = filters.ModelChoiceFilter(queryset=_scoped(Department))
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = {"user": ["exact"], "is_active": ["exact"]}
