from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanke_crm.transitions import available_actions

from ..models import Case, Category, ReturnVisit, Task, Trade
from ..services.cases import WORKFLOW
from ..services.tasks import TASK_WORKFLOW


def _actions_of(obj, context) -> list:
    request = context.get("request")
    if request is None:
        return []
    return [rule.action for rule in available_actions(obj, request.user)]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "parent", "name", "code", "trade", "order", "is_active"]
        read_only_fields = fields


class EventSerializer(serializers.Serializer):
    """One step of a case or task: who did what, from which state to which, why."""

    action = serializers.CharField(read_only=True)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class TaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "case_number",
            "parent",
            "department",
            "assignee",
            "trade",
            "instructions",
            "due_at",
            "status",
            "accepted_at",
            "done_at",
            "resolution",
            "sent_back_reason",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, task) -> list:
        """What the signed-in user may do now (POST them to `act/`)."""
        return _actions_of(task, self.context)


class CaseSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "company",
            "project",
            "unit",
            "customer",
            "type",
            "channel",
            "severity",
            "category",
            "title",
            "description",
            "status",
            "assignee",
            "response_due_at",
            "resolve_due_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "paused_since",
            "resolution",
            "visit_due_at",
            "visit_verdict",
            "reopen_count",
            "escalation",
            "created_at",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case) -> list:
        """What the signed-in user may do now (POST them to `act/`)."""
        return _actions_of(case, self.context)


class CaseCreateSerializer(serializers.ModelSerializer):
    """Intake through the API (channel and type as on the hotline form)."""

    class Meta:
        model = Case
        fields = [
            "company",
            "project",
            "unit",
            "customer",
            "type",
            "channel",
            "severity",
            "category",
            "title",
            "description",
            "caller_name",
            "caller_mobile",
        ]


# Dispatch has its own endpoint; a group complaint's member is resolved with its lead.
NOT_ACTED_HERE = ("dispatch", "resolve_with_incident")


class CaseActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[r.action for r in WORKFLOW.transitions if r.action not in NOT_ACTED_HERE]
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    verdict = serializers.ChoiceField(choices=Case.Verdict.choices, required=False)


class DispatchSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    due_at = serializers.DateTimeField()
    trade = serializers.ChoiceField(choices=Trade.choices, required=False, allow_blank=True)
    instructions = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TaskActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            r.action for r in TASK_WORKFLOW.transitions if r.action not in ("split", "transfer")
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SplitPartSerializer(serializers.Serializer):
    """One trade's part of a split task, sent to a department or a handler."""

    # Not required here: the service refuses a part without its trade, in words.
    trade = serializers.ChoiceField(choices=Trade.choices, required=False, allow_blank=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    due_at = serializers.DateTimeField()


class TaskSplitSerializer(serializers.Serializer):
    # An empty list is the service's to refuse ("a split needs at least one trade").
    parts = SplitPartSerializer(many=True, allow_empty=True)
    # What to do, for every part (the task's own instructions when left out).
    instructions = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TaskTransferSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    due_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class ReturnVisitSerializer(serializers.ModelSerializer):
    """One round of a case's return visit: due when, answered how (staff phone call,
    the owner's SMS link or the portal) and with which verdict."""

    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ReturnVisit
        fields = [
            "id",
            "case",
            "case_number",
            "round",
            "due_at",
            "verdict",
            "comment",
            "answered_at",
            "answered_by",
            "via",
            "sms_sent_at",
        ]
        read_only_fields = fields


class ReturnVisitAnswerSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Case.Verdict.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
