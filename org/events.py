"""The events org publishes (through events.bus, after commit); payloads hold ids only.

- COMPANY_SETTING_CHANGED: company_id (None for a group default), key — a registered
  setting (org.company_settings) was set or cleared; apps whose rules read the setting
  subscribe to redo what depends on it (customers re-sweeps the 6+2 steps).
"""

COMPANY_SETTING_CHANGED = "org.company_setting_changed"
