"""Customers API: scoped like the pages (handlers have no access), writes through the
same services."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from org.models import Project, Unit
from org.scoping import access_company
from vanke_crm import listcache
from vanke_crm.api import IsStaffMember, ScopedViewSetMixin
from vanke_crm.filters import DateTimeFilter
from vanke_crm.transitions import transition

from .. import selectors, services
from ..filters import CustomerFilter
from ..models import Customer, Ownership, Segment, Visit
from .serializers import (
    CustomerSerializer,
    IdNumberSerializer,
    OwnershipActSerializer,
    OwnershipSerializer,
    SegmentSerializer,
    VisitRegisterSerializer,
    VisitSerializer,
)


class CustomerReaders(permissions.BasePermission):
    message = _("Your role does not give access to customer records.")

    def has_permission(self, request, view):
        return selectors.can_read_customers(request.user)


class CustomerViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    scoped_model = Customer
    serializer_class = CustomerSerializer
    permission_classes = [IsStaffMember, CustomerReaders]
    filterset_class = CustomerFilter
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .active()
            .select_related("company")
            .prefetch_related(
                "tags",
                Prefetch("ownerships", queryset=selectors.active_ownerships(), to_attr="units"),
            )
            .order_by("-created_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        """A page of the list from the cache while no customer of the reader's companies
        changed (vanke_crm.listcache); the links in it hold the host it was asked on."""

        def build():
            return super(CustomerViewSet, self).list(request, *args, **kwargs).data

        data = listcache.cached(
            request,
            "api:customers",
            companies=listcache.companies_of(request.user),
            build=build,
            extra=(request.get_host(), request.is_secure()),
        )
        return Response(data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        company = data.pop("company")
        access_company(self.request.user, company.pk)
        tags = data.pop("tags", [])
        customer = services.customer_create(
            company=company, by=self.request.user, tags=tags, **data
        )
        serializer.instance = self.get_queryset().get(pk=customer.pk)  # with its `units`

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("company", None)
        if "*" in data.get("id_number", ""):
            data.pop("id_number")  # the masked value we sent out means "unchanged"
        tags = data.pop("tags", None)
        customer = services.customer_update(
            customer=serializer.instance,
            by=self.request.user,
            tags=tags,
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=customer.pk)  # with its `units`

    @extend_schema(request=None, responses={200: IdNumberSerializer})
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, pk=None):
        """The full ID number, for group CRM staff only; every reveal is recorded and
        listed on the customer's History tab."""
        number = services.id_number_reveal(customer=self.get_object(), by=request.user)
        return Response(IdNumberSerializer({"id_number": number}).data)


def _scoped(model, **extra):
    """Choices of a filter: only rows the user may read, so another company's id is
    refused exactly like an id that does not exist."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.for_user(request.user, **extra)

    return queryset


class OwnershipFilter(django_filters.FilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=_scoped(Customer))
    unit = django_filters.ModelChoiceFilter(queryset=_scoped(Unit))
    project = django_filters.ModelChoiceFilter(
        field_name="unit__building__project", queryset=_scoped(Project)
    )

    class Meta:
        model = Ownership
        fields = ["customer", "unit", "project", "status"]


class VisitFilter(django_filters.FilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=_scoped(Customer))
    project = django_filters.ModelChoiceFilter(queryset=_scoped(Project))
    visited_after = DateTimeFilter(field_name="visited_at", lookup_expr="gte")
    visited_before = DateTimeFilter(field_name="visited_at", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["customer", "project", "kind", "is_first"]


class OwnershipViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Ownership
    serializer_class = OwnershipSerializer
    permission_classes = [IsStaffMember, CustomerReaders]
    filterset_class = OwnershipFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit__building", "customer__company")
            .order_by("-pk")
        )

    @extend_schema(request=OwnershipActSerializer, responses={200: OwnershipSerializer})
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Run one of the ownership's transitions (its `actions` list what is possible
        now); an action its state or the user's role does not allow is refused."""
        payload = OwnershipActSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        action_name, reason = data.pop("action"), data.pop("reason", "")
        result = transition(
            obj=self.get_object(),
            action=action_name,
            by=request.user,
            reason=reason,
            **data,
        )
        return Response(self.get_serializer(result).data)


class VisitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Visit
    serializer_class = VisitSerializer
    permission_classes = [IsStaffMember, CustomerReaders]
    filterset_class = VisitFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-visited_at", "-pk")

    @extend_schema(request=VisitRegisterSerializer, responses={201: VisitSerializer})
    @action(detail=False, methods=["post"], url_path="register")
    def register(self, request):
        """Register a visit: a first visit creates a prospect (see DOMAIN §2)."""
        payload = VisitRegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        access_company(request.user, data["project"].company_id)
        result = services.visit_register(by=request.user, **data)
        return Response(VisitSerializer(result.visit).data, status=status.HTTP_201_CREATED)


class SegmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Segment
    serializer_class = SegmentSerializer
    permission_classes = [IsStaffMember, CustomerReaders]
    filterset_fields = ["company"]

    def get_queryset(self):
        return super().get_queryset().order_by("name")
