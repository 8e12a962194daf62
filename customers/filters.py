"""One definition of "which customers": the staff list, the API, segments and exports
all filter through CustomerFilter."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from org.models import Project

from .models import Customer, LifecycleStep, Ownership, Tag, Visit
from .services.access import can_reveal_id_numbers


def _projects(request):
    if request is None:
        return Project.objects.all()
    return Project.objects.for_user(request.user)


def _tags(request):
    if request is None:
        return Tag.objects.all()
    return Tag.objects.for_user(request.user)


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    step = django_filters.MultipleChoiceFilter(label=_("6+2 step"), choices=LifecycleStep.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=Customer.Kind.choices)
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, method="filter_project"
    )
    tags = django_filters.ModelMultipleChoiceFilter(label=_("Tags"), queryset=_tags)
    marketing_consent = django_filters.BooleanFilter(label=_("Marketing consent"))
    source = django_filters.ChoiceFilter(label=_("Source channel"), choices=Customer.Source.choices)

    class Meta:
        model = Customer
        fields = ["q", "step", "kind", "project", "tags", "marketing_consent", "source"]

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.search(value, id_numbers=can_reveal_id_numbers(user))

    def filter_project(self, queryset, name, value: Project):
        if value is None:
            return queryset
        owns = Ownership.objects.filter(customer=OuterRef("pk"), unit__building__project=value)
        visited = Visit.objects.filter(customer=OuterRef("pk"), project=value)
        return queryset.filter(Exists(owns) | Exists(visited))


def customers_matching(user, filters: dict):
    """Customers of the user's scope that match saved filter values (a segment)."""
    from types import SimpleNamespace

    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in (filters or {}).items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif value not in (None, ""):
            data[key] = str(value)
    base = Customer.objects.for_user(user).active()
    # The filter's choices and the search follow the user, as on the list page.
    filterset = CustomerFilter(data, queryset=base, request=SimpleNamespace(user=user))
    return filterset.qs if filterset.is_valid() else base.none()
