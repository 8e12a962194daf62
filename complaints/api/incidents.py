"""Group complaints (群诉) in the API: list, read, make one from a case, link and
unlink cases, the cases suggested for linking. Scoped like the pages (another
company's incident is a 404); writes through complaints/services/incidents.py."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from vanke_crm.api import IsStaffMember, ScopedViewSetMixin
from vanke_crm.filters import DateTimeFilter

from .. import incidents as selectors
from ..models import Case, Incident
from ..services import incidents as services
from .views import CaseReaders


class IncidentMemberSerializer(serializers.ModelSerializer):
    """One complainant's case of the group complaint."""

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "customer",
            "unit",
            "title",
            "resolution",
            "visit_due_at",
            "visit_verdict",
            "created_at",
        ]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        source="lead_case.status", read_only=True, help_text=_("The lead case's status.")
    )
    member_count = serializers.IntegerField(read_only=True)
    cases = IncidentMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "company",
            "project",
            "building",
            "category",
            "title",
            "description",
            "lead_case",
            "status",
            "member_count",
            "cases",
            "created_by",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = fields


class IncidentCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("The lead case: where the work is done."))
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text=_("The lead's by default.")
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text=_("The lead's by default.")
    )


class IncidentCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField()


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        field_name="lead_case__status", choices=Case.Status.choices
    )
    resolved = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", exclude=True
    )
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_q", max_length=100)
    # Ids, not choices: the rows are scoped first, so another company's id finds nothing.
    company = django_filters.NumberFilter(field_name="company_id")
    project = django_filters.NumberFilter(field_name="project_id")
    building = django_filters.NumberFilter(field_name="building_id")
    category = django_filters.NumberFilter(field_name="category_id")
    case = django_filters.NumberFilter(field_name="cases")

    class Meta:
        model = Incident
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value))


class IncidentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Incident
    serializer_class = IncidentSerializer
    permission_classes = [IsStaffMember, CaseReaders]
    filterset_class = IncidentFilter

    def get_queryset(self):
        members = Case.objects.order_by("created_at", "pk")
        return (
            super()
            .get_queryset()
            .select_related("lead_case")
            .prefetch_related(Prefetch("cases", queryset=members))
            .annotate(member_count=Count("cases", distinct=True))
            .order_by("-created_at", "-pk")
        )

    def _case(self, pk):
        """A case the user may read; another company's is no case at all."""
        case = Case.objects.for_user(self.request.user).filter(pk=pk).first()
        if case is None:
            raise ValidationError({"case": [_("No such case.")]})
        return case

    def _fresh(self, incident):
        return self.get_serializer(self.get_queryset().get(pk=incident.pk)).data

    @extend_schema(request=IncidentCreateSerializer, responses={201: IncidentSerializer})
    def create(self, request, *args, **kwargs):
        """Make a group complaint with a case as its lead (its severity becomes group)."""
        payload = IncidentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        incident = services.incident_create(
            case=self._case(data["case"]),
            by=request.user,
            title=data.get("title", ""),
            description=data.get("description", ""),
        )
        return Response(self._fresh(incident), status=status.HTTP_201_CREATED)

    @extend_schema(request=IncidentCaseSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Link another complainant's open case (same company, in no other group
        complaint, no task of its own still open)."""
        incident = self.get_object()
        payload = IncidentCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = self._case(payload.validated_data["case"])
        services.incident_link(incident=incident, case=case, by=request.user)
        return Response(self._fresh(incident))

    @extend_schema(request=IncidentCaseSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def unlink(self, request, pk=None):
        """Take a member's case out (the lead case stays)."""
        incident = self.get_object()
        payload = IncidentCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = self._case(payload.validated_data["case"])
        services.incident_unlink(incident=incident, case=case, by=request.user)
        return Response(self._fresh(incident))

    @extend_schema(responses={200: IncidentMemberSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def suggestions(self, request, pk=None):
        """Open cases in no group complaint, of the same building and category, received
        within the window (setting `incident_window_days`) of the lead case."""
        incident = self.get_object()
        rows = selectors.incident_suggestions(incident)
        return Response(IncidentMemberSerializer(rows, many=True).data)
