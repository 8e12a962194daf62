"""Organisation API: read for every staff member in scope; companies and roles are
changed by group CRM staff only, through the same services as the pages. The working
calendar is read here and changed on its page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from vanke_crm.api import IsStaffMember, ScopedViewSetMixin

from .. import selectors, services, working_time
from ..models import Building, Company, Department, Membership, Project, Unit
from . import filters
from .serializers import (
    BuildingSerializer,
    CompanySerializer,
    DepartmentSerializer,
    MembershipCreateSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    ProjectSerializer,
    UnitSerializer,
    WorkingCalendarQuerySerializer,
    WorkingCalendarSerializer,
)


class GroupAdminWrites(permissions.BasePermission):
    """Writes are for group CRM staff. On an existing record the scoped lookup runs
    first, so another company's record is a 404 before any 403."""

    message = _("Only group customer-relations staff may change this.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action != "create":
            return True
        return request.user.scope.sees_all

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or request.user.scope.sees_all


class ReadOnlyScopedViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    related = ()

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related)


class CompanyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    scoped_model = Company
    serializer_class = CompanySerializer
    permission_classes = [IsStaffMember, GroupAdminWrites]
    filterset_class = filters.CompanyFilter
    search_fields = ["name", "code", "city"]
    ordering_fields = ["code", "name", "city"]

    def perform_create(self, serializer):
        serializer.instance = services.company_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            by=self.request.user,
            company=serializer.instance,
            **serializer.validated_data,
        )


class ProjectViewSet(ReadOnlyScopedViewSet):
    scoped_model = Project
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilter
    search_fields = ["name", "code", "district"]
    ordering_fields = ["code", "name"]


class BuildingViewSet(ReadOnlyScopedViewSet):
    scoped_model = Building
    serializer_class = BuildingSerializer
    filterset_class = filters.BuildingFilter
    search_fields = ["number", "project__name"]
    ordering_fields = ["number"]


class UnitViewSet(ReadOnlyScopedViewSet):
    scoped_model = Unit
    serializer_class = UnitSerializer
    related = ("building",)
    filterset_class = filters.UnitFilter
    search_fields = ["code", "building__project__name"]
    ordering_fields = ["code", "floor", "number"]


class DepartmentViewSet(ReadOnlyScopedViewSet):
    scoped_model = Department
    serializer_class = DepartmentSerializer
    filterset_class = filters.DepartmentFilter
    search_fields = ["name"]
    ordering_fields = ["kind", "name"]


@extend_schema_view(
    create=extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer}),
    update=extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer),
    partial_update=extend_schema(
        request=MembershipUpdateSerializer, responses=MembershipSerializer
    ),
)
class MembershipViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Roles of staff in companies. Create grants a role (or gives back a removed
    one); update moves it to another department, or removes it with is_active=false."""

    scoped_model = Membership
    serializer_class = MembershipSerializer
    permission_classes = [IsStaffMember, GroupAdminWrites]
    related = ("user",)
    filterset_class = filters.MembershipFilter
    search_fields = ["user__name", "user__username"]
    ordering_fields = ["role", "created_at"]

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    def create(self, request, *args, **kwargs):
        data = self._input(MembershipCreateSerializer)
        membership = services.membership_grant(by=request.user, **data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        data = self._input(MembershipUpdateSerializer)
        department = data.get("department", membership.department)
        if data.get("is_active") is False:
            membership = services.membership_revoke(by=request.user, membership=membership)
        elif data.get("is_active") and not membership.is_active:
            membership = services.membership_grant(
                by=request.user,
                user=membership.user,
                role=membership.role,
                company=membership.company,
                department=department,
            )
        else:
            membership = services.membership_update(
                by=request.user,
                membership=membership,
                department=department,
            )
        return Response(MembershipSerializer(membership).data)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _kind(day) -> str:
    if day.source == working_time.OFFICIAL:
        return "make_up_working_day" if day.is_working else "public_holiday"
    return "working_day" if day.is_working else "day_off"


class WorkingCalendarView(APIView):
    """The working calendar of a company (org.working_time): the days of a year that
    differ from Monday to Friday. Read by the company's customer-relations staff and
    managers and by group CRM staff; changed on the calendar page."""

    @extend_schema(
        operation_id="working_calendar_list",
        summary=_("Working calendar of a year"),
        description=_(
            "The public holidays and make-up working days of the official calendar, and "
            "the days off and working days entered by the company or for the whole group, "
            "as they apply to the company. Deadlines count working hours on these days."
        ),
        parameters=[WorkingCalendarQuerySerializer],
        responses=WorkingCalendarSerializer,
    )
    def get(self, request):
        query = WorkingCalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        company_id = query.validated_data.get("company")
        year = query.validated_data.get("year") or timezone.localdate().year
        company = selectors.company_detail(request.user, company_id) if company_id else None
        services.access_calendar_read(request.user, company)
        days = working_time.WorkingCalendar(company).special_days(year)
        body = {
            "company": company.pk if company else None,
            "year": year,
            "official_known": working_time.official_year_known(year),
            "days": [
                {
                    "date": day.date,
                    "is_working": day.is_working,
                    "kind": _kind(day),
                    "name": str(day.name),
                    "source": day.source,
                    "source_display": str(day.source_label),
                    "entry": day.entry_id,
                    "created_by": day.created_by,
                    "official_name": str(day.official.name) if day.official else "",
                }
                for day in days
            ],
        }
        return Response(WorkingCalendarSerializer(body).data)
