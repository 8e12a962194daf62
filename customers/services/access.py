"""Who may change customer data: CRM staff of the customer's company (and group CRM)."""

from django.utils.translation import gettext_lazy as _

from org.models import Role
from org.scoping import RoleRequired, access_company

WRITERS = (Role.COMPANY_CRM,)
APPROVERS = (Role.MANAGER,)


def can_reveal_id_numbers(user) -> bool:
    """Group CRM staff may see a full ID number (each reveal recorded), search by one,
    see which records share one and replace a stored one. Everyone else learns only
    that a number is on file: docs/decisions/0012-id-numbers.md."""
    return bool(user and user.is_authenticated and user.scope.sees_all)


def access_customer_write(user, company_id) -> None:
    access_company(user, company_id)
    if not user.scope.has_role(*WRITERS, company_id=company_id):
        raise RoleRequired(_("Only customer-relations staff may change customer data."))


def access_cancellation_decide(user, company_id) -> None:
    access_company(user, company_id)
    if not user.scope.has_role(*APPROVERS, company_id=company_id):
        raise RoleRequired(_("Only a manager may approve or refuse a cancellation."))
