from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from accounts import portal as owner_portal
        from events import bus
        from notifications import consent
        from org import company_settings
        from org import events as org_events
        from org import panels as org_panels
        from org.models import Building, Company, Project, Unit
        from vanke_crm import listcache, media, nav

        from . import events as customer_events
        from . import handlers, lifecycle_settings, merging, movers, portal, timeline
        from .models import EXPORTS_FOLDER, Customer, Ownership
        from .nav import ENTRIES as NAV_ENTRIES
        from .services import disclosure, exports, notices
        from .views import charts
        from .views import notices as notice_panels

        # The customer list's cached pages move on with every write to what they show.
        listcache.track(Customer, "company_id")
        listcache.track(Ownership, "customer__company_id")
        listcache.track(Company, "id")
        listcache.track(Project, "company_id")
        listcache.track(Building, "project__company_id")
        listcache.track(Unit, "building__project__company_id")
        for entry in NAV_ENTRIES:
            nav.register(entry)
        for setting in lifecycle_settings.SETTINGS:
            company_settings.register(setting)
        bus.subscribe(org_events.COMPANY_SETTING_CHANGED, handlers.on_setting_changed)
        merging.register(movers.move_own_records)
        timeline.register(movers.own_timeline)
        timeline.register(movers.messages_timeline)
        consent.register(movers.marketing_consent)
        owner_portal.register_linker(portal.link_owner_account)
        owner_portal.register_section(portal.owner_units_section)
        org_panels.register_workbench(portal.workbench_panel)
        org_panels.register_dashboard(notice_panels.cancellations_panel)
        org_panels.register_dashboard(charts.dashboard_panel)
        bus.subscribe(customer_events.OWNERSHIP_CANCEL_REQUESTED, notices.on_cancel_requested)
        # The upload_to folders of RiskItem.picture and ProgressMilestone.photo.
        media.register("risk/", disclosure.risk_picture_access)
        media.register("progress/", disclosure.milestone_photo_access)
        media.register(EXPORTS_FOLDER, exports.export_file_access)  # the requester's only
