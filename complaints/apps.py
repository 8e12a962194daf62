from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from accounts import portal as owner_portal
        from customers import timeline as customer_timeline
        from org import company_settings
        from org import panels as org_panels
        from vanke_crm import listcache, media, nav

        from . import (
            caching,
            incident_settings,
            selectors,
            sla_settings,
            supervision,
            visit_settings,
        )
        from .models import Case
        from .nav import ENTRIES as NAV_ENTRIES
        from .portal import portal_section
        from .services import cases, tasks  # noqa: F401 (registers the workflows)
        from .timeline import case_timeline

        for setting in sla_settings.SETTINGS:
            company_settings.register(setting)
        for setting in visit_settings.SETTINGS:
            company_settings.register(setting)
        for setting in incident_settings.SETTINGS:
            company_settings.register(setting)
        # The owner's cases on their portal home (我的报事).
        owner_portal.register_section(portal_section)
        for entry in NAV_ENTRIES:
            nav.register(entry)
        # 待处理投诉 and 待回访 on the CRM workbench, the open tasks on a handler's home.
        org_panels.register_workbench(supervision.workbench_panel)
        org_panels.register_my_tasks(supervision.my_tasks_panel)
        # Attachment.file's upload_to: only staff who may read the case (or the task).
        media.register("cases/", selectors.photo_access)
        # The queue's cached pages move on with every write to a case (decision 0024).
        listcache.track(Case, "company_id")
        # A case page's cached parts move on with every write to the case (0028).
        caching.register()
        # Every case of a customer and each of its steps on the customer 360 timeline.
        customer_timeline.register(case_timeline)
