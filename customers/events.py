"""The events customers publishes (through events.bus, after commit). Other apps
subscribe to these names in their AppConfig.ready(); each payload holds ids only.

- VISIT_REGISTERED: customer_id, visit_id, project_id, company_id, is_first
- OWNERSHIP_SUBSCRIBED, OWNERSHIP_CONTRACTED, OWNERSHIP_HANDED_OVER,
  OWNERSHIP_CANCELLED, OWNERSHIP_CANCEL_REQUESTED: ownership_id, customer_id,
  unit_id, company_id, from_state, to_state
- STEP_CHANGED: customer_id, company_id, from_step, to_step
- CUSTOMERS_MERGED: source_id (the record merged away), target_id (the survivor),
  company_id
"""

VISIT_REGISTERED = "customers.visit_registered"
OWNERSHIP_SUBSCRIBED = "customers.ownership_subscribed"
OWNERSHIP_CONTRACTED = "customers.ownership_contracted"
OWNERSHIP_HANDED_OVER = "customers.ownership_handed_over"
OWNERSHIP_CANCEL_REQUESTED = "customers.ownership_cancel_requested"
OWNERSHIP_CANCELLED = "customers.ownership_cancelled"
STEP_CHANGED = "customers.step_changed"
CUSTOMERS_MERGED = "customers.customers_merged"
