"""The complaints app's entries in the main navigation (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from org.models import Role
from vanke_crm.nav import NavEntry

from .selectors import can_read_queue, can_record_cases


def _handles_tasks(user) -> bool:
    return Role.HANDLER in user.scope.roles


# "my_tasks" takes the place of the handler's home in the menu (the tasks are here).
ENTRIES = [
    NavEntry("complaints", _("Cases"), "complaints:queue", can_read_queue, 40),
    NavEntry("complaint_intake", _("Record a case"), "complaints:intake", can_record_cases, 41),
    NavEntry("my_tasks", _("My tasks"), "complaints:my_tasks", _handles_tasks, 41),
]
