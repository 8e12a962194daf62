"""Who may do what to a case or a task (raising RoleRequired → 403, OutOfScope → 404)."""

from django.utils.translation import gettext as _

from org.models import Role
from org.scoping import RoleRequired, access_company

WRITERS = (Role.COMPANY_CRM,)  # group CRM staff pass every has_role check


def access_case_write(user, company_id) -> None:
    """Intake, dispatch, return visits: customer-relations staff of the case's company
    (group CRM staff everywhere)."""
    access_company(user, company_id)
    if not user.scope.has_role(*WRITERS, company_id=company_id):
        raise RoleRequired(_("Only customer-relations staff may handle cases."))


def access_case_read(user, company_id) -> None:
    access_company(user, company_id)
    if not user.scope.has_role(Role.COMPANY_CRM, Role.MANAGER, company_id=company_id):
        raise RoleRequired(_("Your role does not give access to the case queue."))


def can_work_task(user, task) -> bool:
    """The handler it was sent to, a handler of its department when it was sent to the
    department, or customer-relations staff of the company acting for them."""
    if task.assignee_id is not None:
        if task.assignee_id == user.pk:
            return True
    elif (
        task.department_id is not None
        and user.memberships.filter(
            is_active=True, role=Role.HANDLER, department_id=task.department_id
        ).exists()
    ):
        return True
    return user.scope.has_role(*WRITERS, company_id=task.case.company_id)


def access_task_work(user, task) -> None:
    if not can_work_task(user, task):
        # A task sent to someone else is not there for this handler at all.
        if not user.scope.has_role(Role.COMPANY_CRM, Role.MANAGER, company_id=task.case.company_id):
            from org.scoping import OutOfScope

            raise OutOfScope()
        raise RoleRequired(_("This task was sent to someone else."))
