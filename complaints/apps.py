from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from org import company_settings

        from . import sla_settings
        from .services import cases, tasks  # noqa: F401 (registers the workflows)

        for setting in sla_settings.SETTINGS:
            company_settings.register(setting)
