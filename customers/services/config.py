"""A company's own 6+2 work points beside the group's defaults. (The lifecycle
lengths are registered settings: customers.lifecycle_settings, org.services.)"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.scoping import RoleRequired, access_company

from ..models import LifecycleStep, WorkPoint
from .access import access_customer_write


@transaction.atomic
def workpoint_create(*, company, by, step, label) -> WorkPoint:
    """A company's own work point; group staff add group defaults with company=None."""
    if company is None:
        if not by.scope.sees_all:
            raise RoleRequired(_("Only group customer-relations staff may change the defaults."))
    else:
        access_customer_write(by, company.pk)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Please describe the work point.")})
    if step not in LifecycleStep.values:
        raise ValidationError({"step": _("Choose a step.")})
    # Labels are often Chinese (no slug): the code only has to be unique, not readable.
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:24]
    code = f"{'c' if company else 'g'}-{slug + '-' if slug else ''}{uuid.uuid4().hex[:8]}"
    order = WorkPoint.objects.filter(step=step).count() + 100
    return WorkPoint.objects.create(company=company, step=step, label=label, code=code, order=order)


@transaction.atomic
def workpoint_set_active(*, work_point, by, active: bool) -> WorkPoint:
    """Deactivate (or bring back) a company's own point; ticks already made are kept."""
    work_point = WorkPoint.objects.select_for_update().get(pk=work_point.pk)
    if work_point.company_id is None:
        if not by.scope.sees_all:
            raise RoleRequired(_("Only group customer-relations staff may change the defaults."))
    else:
        access_company(by, work_point.company_id)
        access_customer_write(by, work_point.company_id)
    work_point.is_active = active
    work_point.save(update_fields=["is_active", "updated_at"])
    return work_point
