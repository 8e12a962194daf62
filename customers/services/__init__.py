"""Every write of the customers app (HackSoft style: `<entity>_<verb>(*, ...)`)."""

from .customers import customer_create, customer_update, id_number_reveal  # noqa: F401
from .lifecycle import (  # noqa: F401
    customer_refresh_step,
    revisit_record,
    revisits_sweep,
    step_for,
    steps_refresh_all,
    workpoint_tick,
    workpoint_untick,
)
from .merge import customer_merge, merge_fields, merge_preview  # noqa: F401
from .ownership import (  # noqa: F401
    ownership_cancel,
    ownership_cancel_decide,
    ownership_contract,
    ownership_create,
    ownership_hand_over,
)
from .visits import visit_register  # noqa: F401
