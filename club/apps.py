from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = _("Owners' club")

    def ready(self):
        from customers import merging, timeline

        from .customer_hooks import club_timeline, move_followups

        merging.register(move_followups)
        timeline.register(club_timeline)
