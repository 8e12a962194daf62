"""The organisation's entries in the main navigation (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from vanke_crm.nav import NavEntry

from .models import Role


def _group(user) -> bool:
    return user.scope.sees_all


def _holds(role):
    return lambda user: role in user.scope.roles


def _changes_settings(user) -> bool:
    return _group(user) or Role.COMPANY_CRM in user.scope.roles


def _reads_calendar(user) -> bool:
    return _group(user) or bool(user.scope.companies_with(Role.COMPANY_CRM, Role.MANAGER))


ENTRIES = [
    NavEntry("group_home", _("Group overview"), "org:group_home", _group, 10),
    NavEntry("companies", _("Companies"), "org:company_list", _group, 11),
    NavEntry("staff", _("Staff and roles"), "org:staff_list", _group, 12),
    NavEntry("workbench", _("Workbench"), "org:workbench", _holds(Role.COMPANY_CRM), 20),
    NavEntry("dashboard", _("Dashboard"), "org:dashboard", _holds(Role.MANAGER), 40),
    NavEntry("my_tasks", _("My tasks"), "org:my_tasks", _holds(Role.HANDLER), 41),
    NavEntry("my_company", _("My company"), "org:company_list", lambda u: not _group(u), 80),
    NavEntry("calendar", _("Working calendar"), "org:calendar_home", _reads_calendar, 84),
    NavEntry("settings", _("Settings"), "org:settings_home", _changes_settings, 85),
    NavEntry("api", _("API"), "api-docs", lambda user: True, 90),
]
