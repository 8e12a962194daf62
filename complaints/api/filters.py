import django_filters
from django.db.models import Q

from vanke_crm.filters import DateTimeFilter

from ..models import Case, ReturnVisit, Task


class CaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Case.Status.choices, distinct=False)
    type = django_filters.MultipleChoiceFilter(choices=Case.Type.choices, distinct=False)
    severity = django_filters.MultipleChoiceFilter(choices=Case.Severity.choices, distinct=False)
    channel = django_filters.MultipleChoiceFilter(choices=Case.Channel.choices, distinct=False)
    received_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    escalated = django_filters.BooleanFilter(method="filter_escalated")
    q = django_filters.CharFilter(method="filter_q", max_length=100)
    # Ids, not choices: the rows are scoped first, so another company's id finds nothing.
    company = django_filters.NumberFilter(field_name="company_id")
    project = django_filters.NumberFilter(field_name="project_id")
    category = django_filters.NumberFilter(field_name="category_id")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    customer = django_filters.NumberFilter(field_name="customer_id")

    class Meta:
        model = Case
        fields = []

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalation__gt=0) if value else queryset.filter(escalation=0)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__iexact=value)
            | Q(title__icontains=value)
            | Q(caller_mobile__endswith=value)
            | Q(caller_name__icontains=value)
        )


class TaskFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices, distinct=False)
    case = django_filters.NumberFilter(field_name="case_id")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    department = django_filters.NumberFilter(field_name="department_id")

    class Meta:
        model = Task
        fields = []


class ReturnVisitFilter(django_filters.FilterSet):
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True
    )
    due_before = DateTimeFilter(field_name="due_at", lookup_expr="lt")
    due_after = DateTimeFilter(field_name="due_at", lookup_expr="gte")
    verdict = django_filters.MultipleChoiceFilter(choices=Case.Verdict.choices, distinct=False)
    via = django_filters.MultipleChoiceFilter(choices=ReturnVisit.Via.choices, distinct=False)
    case = django_filters.NumberFilter(field_name="case_id")

    class Meta:
        model = ReturnVisit
        fields = []
