"""The complaints app's entries in the main navigation (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from org.models import Role
from vanke_crm.nav import NavEntry

from .selectors import can_read_queue, can_record_cases
from .supervision import can_supervise


def _group_crm(user) -> bool:
    return user.scope.sees_all


def _any_staff(user) -> bool:
    return user.scope.is_staff_member


def _handles_tasks(user) -> bool:
    return Role.HANDLER in user.scope.roles


# "my_tasks" takes the place of the handler's home in the menu (the tasks are here).
ENTRIES = [
    NavEntry("complaints", _("Cases"), "complaints:queue", can_read_queue, 40),
    NavEntry("complaint_intake", _("Record a case"), "complaints:intake", can_record_cases, 41),
    NavEntry("my_tasks", _("My tasks"), "complaints:my_tasks", _handles_tasks, 41),
    # 群诉: whoever reads the queue (the list page's own check)
    NavEntry(
        "complaint_incidents", _("Group complaints"), "complaints:incidents", can_read_queue, 42
    ),
    NavEntry(
        "complaint_supervision", _("Supervision"), "complaints:supervision", can_supervise, 42
    ),
    NavEntry("knowledge", _("Knowledge base"), "complaints:articles", _any_staff, 43),
    NavEntry(
        "complaint_categories", _("Complaint categories"), "complaints:categories", _group_crm, 44
    ),
]
