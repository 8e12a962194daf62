"""The events org publishes (through events.bus, after commit); payloads hold ids only.

- COMPANY_SETTING_CHANGED: company_id (None for a group default), key — a registered
  setting (org.company_settings) was set or cleared; apps whose rules read the setting
  subscribe to redo what depends on it (customers re-sweeps the 6+2 steps).
- WORKING_CALENDAR_CHANGED: company_id (None for a group-wide entry), date (ISO) — a day
  of the working calendar (org.working_time) was added or removed; apps that keep
  deadlines counted on it subscribe to count the open ones again.
"""

COMPANY_SETTING_CHANGED = "org.company_setting_changed"
WORKING_CALENDAR_CHANGED = "org.working_calendar_changed"
