"""The customers app's entries in the main navigation (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from org.models import Role
from vanke_crm.nav import NavEntry

from .selectors import can_read_customers


def _registers_visits(user) -> bool:
    return Role.COMPANY_CRM in user.scope.roles


def _edits_disclosures(user) -> bool:
    return user.scope.sees_all or Role.COMPANY_CRM in user.scope.roles


ENTRIES = [
    NavEntry("customers", _("Customers"), "customers:list", can_read_customers, 30),
    NavEntry("visit", _("Register a visit"), "customers:visit_register", _registers_visits, 31),
    NavEntry(
        "disclosures",
        _("Public disclosures"),
        "customers:disclosure_index",
        _edits_disclosures,
        32,
    ),
]
