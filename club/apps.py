from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = _("Owners' club")

    def ready(self):
        from customers import events as customer_events
        from customers import merging, timeline
        from events import bus

        from .customer_hooks import club_timeline, move_followups
        from .handlers import on_visit_registered

        merging.register(move_followups)
        timeline.register(club_timeline)
        bus.subscribe(customer_events.VISIT_REGISTERED, on_visit_registered)
