"""Merging duplicates: every app's rows move to the survivor; the merged record
stays (pointing at the survivor) so old links redirect and the audit keeps it."""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from events import bus
from org.scoping import RoleRequired, access_company
from vanke_crm.errors import InvalidInput

from .. import events, merging
from ..models import Customer
from .access import access_customer_write


def _check(source, target, by):
    if source.pk == target.pk:
        raise InvalidInput(_("A customer cannot be merged with itself."))
    if source.merged_into_id or target.merged_into_id:
        raise InvalidInput(_("One of these customers was already merged into another record."))
    access_company(by, source.company_id)
    access_company(by, target.company_id)
    if source.company_id != target.company_id and not by.scope.sees_all:
        raise RoleRequired(
            _("These customers belong to different companies; only group staff may merge them.")
        )
    access_customer_write(by, target.company_id)


def _merge_reason(source) -> str:
    """The survivor's history line; the merged name is shortened so that the line fits
    the history's reason column (a 64-character name does not)."""
    limit = Customer.history.model._meta.get_field("history_change_reason").max_length
    text = _("Merged customer #%(id)s (%(name)s) into this record")
    reason = text % {"id": source.pk, "name": source.name}
    excess = len(reason) - limit
    if excess > 0:
        name = Truncator(source.name).chars(max(len(source.name) - excess, 1))
        reason = (text % {"id": source.pk, "name": name})[:limit]
    return reason


def merge_preview(*, source, target, by) -> dict:
    """What would move, by kind of record, without changing anything."""
    _check(source, target, by)
    counts: dict = {}
    with transaction.atomic():
        for mover in merging.movers():
            counts.update(mover(source, target, dry_run=True))
    return counts


@transaction.atomic
def customer_merge(*, source, target, by) -> dict:
    """Move everything of `source` to `target`; fill target's blank fields from source."""
    # Lock both rows in primary-key order: two opposite merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if source.pk not in locked or target.pk not in locked:
        raise InvalidInput(_("One of these customers no longer exists."))
    source, target = locked[source.pk], locked[target.pk]
    _check(source, target, by)
    moved: dict = {}
    for mover in merging.movers():
        moved.update(mover(source, target, dry_run=False))
    for field in ("id_number", "birthday", "family_structure", "occupation", "budget", "needs"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    target._change_reason = _merge_reason(source)
    target._history_user = by
    target.save()
    source.merged_into = target
    source._change_reason = _("Merged into customer #%(id)s") % {"id": target.pk}
    source._history_user = by
    source.save()
    from .lifecycle import customer_refresh_step
    from .ownership import _refresh_kind

    _refresh_kind(target)
    customer_refresh_step(customer=target)
    bus.publish(
        events.CUSTOMERS_MERGED,
        by=by,
        source_id=source.pk,
        target_id=target.pk,
        company_id=target.company_id,
    )
    return moved
