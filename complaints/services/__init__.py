"""Every write of the complaints app (docs/architecture.md): intake and the case life
cycle (cases), dispatch and the task life cycle (tasks), deadlines (sla)."""

from .cases import (
    case_act,
    case_assign,
    case_create,
    case_note_add,
    escalate_to_company,
    escalate_to_group,
)
from .tasks import case_dispatch, task_act, task_photo_add, task_split, task_transfer

__all__ = [
    "case_act",
    "case_assign",
    "case_create",
    "case_note_add",
    "case_dispatch",
    "escalate_to_company",
    "escalate_to_group",
    "task_act",
    "task_photo_add",
    "task_split",
    "task_transfer",
]
