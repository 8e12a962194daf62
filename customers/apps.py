from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from . import merging, movers, timeline

        merging.register(movers.move_own_records)
        timeline.register(movers.own_timeline)
        timeline.register(movers.messages_timeline)
