"""The signed-in user's own inbox: nobody can list or mark another user's items."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import InboxItem
from ..selectors import inbox_for
from ..services import inbox_mark_all_read, inbox_mark_read
from .filters import InboxItemFilter
from .serializers import InboxItemSerializer, MarkAllReadSerializer


class InboxItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """In-app notifications of the signed-in user, newest first."""

    queryset = InboxItem.objects.none()
    serializer_class = InboxItemSerializer
    filterset_class = InboxItemFilter
    ordering_fields = ["created_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return InboxItem.objects.none()
        return inbox_for(self.request.user)

    @extend_schema(request=None, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications as read (another user's answers 404)."""
        item = inbox_mark_read(user=request.user, item_id=int(pk))
        return Response(InboxItemSerializer(item).data)

    @extend_schema(request=None, responses=MarkAllReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all of your notifications as read."""
        marked = inbox_mark_all_read(user=request.user)
        return Response(MarkAllReadSerializer({"marked": marked}).data)
