from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Org")

    def ready(self):
        from vanke_crm import nav

        from . import calendar_settings, company_settings
        from .nav import ENTRIES

        for entry in ENTRIES:
            nav.register(entry)
        for setting in calendar_settings.SETTINGS:
            company_settings.register(setting)
