"""Complaints API: cases (intake, actions, dispatch, events), tasks (a handler sees
only theirs) and the category tree; scoped like the pages, writes through the same
services."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.models import StateEvent
from org.models import Department
from org.scoping import access_company
from vanke_crm.api import IsStaffMember, ScopedViewSetMixin

from .. import services
from ..models import Case, Category, ReturnVisit, Task
from .filters import CaseFilter, ReturnVisitFilter, TaskFilter
from .serializers import (
    CaseActSerializer,
    CaseCreateSerializer,
    CaseSerializer,
    CategorySerializer,
    DispatchSerializer,
    EventSerializer,
    ReturnVisitAnswerSerializer,
    ReturnVisitSerializer,
    TaskActSerializer,
    TaskSerializer,
    TaskSplitSerializer,
    TaskTransferSerializer,
)


class CaseReaders(permissions.BasePermission):
    message = _("Your role does not give access to the case queue.")

    def has_permission(self, request, view):
        return request.user.scope.has_role("company_crm", "manager")


class CaseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Case
    serializer_class = CaseSerializer
    permission_classes = [IsStaffMember, CaseReaders]
    filterset_class = CaseFilter

    def get_queryset(self):
        # The tasks once for the page: each case's `actions` look at them.
        return (
            super()
            .get_queryset()
            .select_related("incident")
            .prefetch_related("tasks")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        payload = CaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        company = data.pop("company")
        access_company(request.user, company.pk)
        case = services.case_create(company=company, by=request.user, **data)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseActSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Run one of the case's actions (its `actions` list what is possible now)."""
        payload = CaseActSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        case = services.case_act(
            case=self.get_object(),
            action=data.pop("action"),
            by=request.user,
            reason=data.pop("reason", ""),
            **data,
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=DispatchSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_task(self, request, pk=None):
        """Send the case's work to a department or a handler with a deadline."""
        case = self.get_object()
        payload = DispatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        task = services.case_dispatch(
            case=case,
            by=request.user,
            **_recipients(case, data),
            due_at=data["due_at"],
            trade=data.get("trade", ""),
            instructions=data.get("instructions", ""),
        )
        return Response(
            TaskSerializer(task, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """Every step of the case and its tasks, oldest first."""
        case = self.get_object()
        rows = StateEvent.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
            | Q(
                content_type=ContentType.objects.get_for_model(Task),
                object_id__in=list(case.tasks.values_list("pk", flat=True)),
            )
        ).order_by("at", "pk")
        return Response(EventSerializer(rows, many=True).data)


class TaskViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """A handler sees the tasks sent to them (and their department's unassigned ones)."""

    scoped_model = Task
    serializer_class = TaskSerializer
    permission_classes = [IsStaffMember]
    filterset_class = TaskFilter

    def get_queryset(self):
        return super().get_queryset().select_related("case").order_by("due_at", "pk")

    @extend_schema(request=TaskActSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Accept, start, finish (with what was done) or send back (with the reason)."""
        payload = TaskActSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        task = services.task_act(
            task=self.get_object(),
            action=data["action"],
            by=request.user,
            reason=data.get("reason", ""),
        )
        return Response(self.get_serializer(task).data)

    @extend_schema(request=TaskSplitSerializer, responses={201: TaskSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="split")
    def split(self, request, pk=None):
        """Split the task into one sub-task per trade, each sent to a department or a
        handler with its deadline; the task itself is closed."""
        task = self.get_object()
        payload = TaskSplitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        instructions = payload.validated_data.get("instructions") or task.instructions
        parts = [
            {**part, **_recipients(task.case, part), "instructions": instructions}
            for part in payload.validated_data["parts"]
        ]
        made = services.task_split(task=task, by=request.user, parts=parts)
        return Response(self.get_serializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskTransferSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request, pk=None):
        """Give the task to another department or handler, with the reason; the task
        is closed as transferred and a new one is sent."""
        task = self.get_object()
        payload = TaskTransferSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        made = services.task_transfer(
            task=task,
            by=request.user,
            due_at=data["due_at"],
            reason=data["reason"],
            **_recipients(task.case, data),
        )
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)


def _recipients(case, data) -> dict:
    """The department and handler named by id in `data`, of the case's company (the
    service checks the handler's membership); an unknown id is refused by field."""
    from rest_framework.exceptions import ValidationError

    from accounts.models import User

    department = assignee = None
    if data.get("department"):
        department = Department.objects.filter(pk=data["department"], company=case.company).first()
        if department is None:
            raise ValidationError({"department": [_("No such department in this company.")]})
    if data.get("assignee"):
        assignee = User.objects.filter(pk=data["assignee"]).first()
        if assignee is None:
            raise ValidationError({"assignee": [_("No such handler in this company.")]})
    return {"department": department, "assignee": assignee}


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The complaint category tree (shared by every company)."""

    queryset = Category.objects.filter(is_active=True).order_by("order", "code")
    serializer_class = CategorySerializer
    permission_classes = [IsStaffMember]
    pagination_class = None


class ReturnVisitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Return visits of the user's companies (open rounds by due time); staff record a
    verdict after their phone call through the case's visit transition."""

    scoped_model = ReturnVisit
    serializer_class = ReturnVisitSerializer
    permission_classes = [IsStaffMember, CaseReaders]
    filterset_class = ReturnVisitFilter

    def get_queryset(self):
        return super().get_queryset().select_related("case").order_by("due_at", "pk")

    @extend_schema(request=ReturnVisitAnswerSerializer, responses={200: ReturnVisitSerializer})
    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request, pk=None):
        """Record the owner's verdict (dissatisfied reopens the case)."""
        from ..services.visits import visit_record

        visit = self.get_object()
        payload = ReturnVisitAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        visit_record(
            visit=visit,
            by=request.user,
            verdict=payload.validated_data["verdict"],
            comment=payload.validated_data.get("comment", ""),
        )
        visit.refresh_from_db()
        return Response(self.get_serializer(visit).data)
