"""Merging duplicates: every app's rows move to the survivor; the merged record
stays (pointing at the survivor) so old links redirect and the audit keeps it."""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from events import bus
from org.scoping import RoleRequired, access_company
from vanke_crm.errors import InvalidInput

from .. import events, merging
from ..models import PROFILE_FIELDS, Customer
from .access import access_customer_write, can_reveal_id_numbers

# The fields a person merging two records may take from either of them.
MERGE_FIELDS = PROFILE_FIELDS
# Blank on the survivor: taken from the merged record when no value was chosen.
FILL_BLANK = ("id_number", "birthday", "family_structure", "occupation", "budget", "needs")


def merge_fields(by) -> tuple:
    """The fields `by` compares and chooses on the merge page: ID numbers only for staff
    who may reveal them (docs/decisions/0012) — for anyone else a "same"/"differs"
    marker would confirm a guessed number."""
    if can_reveal_id_numbers(by):
        return MERGE_FIELDS
    return tuple(f for f in MERGE_FIELDS if f != "id_number")


def _apply_choices(source, target, values, by) -> None:
    """Each chosen value must be one of the two records' own values for a field the
    user may choose; anything else is refused, nothing is written."""
    allowed = merge_fields(by)
    for field, value in values.items():
        if field not in allowed:
            raise InvalidInput(_("This field cannot be chosen when merging."))
        if value not in (getattr(source, field), getattr(target, field)):
            raise InvalidInput(
                _("%(field)s must be the value of one of the two records.")
                % {"field": Customer._meta.get_field(field).verbose_name}
            )
    for field, value in values.items():
        setattr(target, field, value)
    for field in FILL_BLANK:
        if field not in values and not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))


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
def customer_merge(*, source, target, by, values=None) -> dict:
    """Move everything of `source` to `target`, which survives. `values` (field → value)
    are the values the user chose among the two records' own; other blank fields of
    the survivor are filled from the merged record (its ID number too: kept, or filled
    when blank, never chosen by staff who may not reveal ID numbers)."""
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
    _apply_choices(source, target, values or {}, by)  # refused before anything moves
    moved: dict = {}
    for mover in merging.movers():
        moved.update(mover(source, target, dry_run=False))
    # The merged record first: the survivor may take its mobile (unique among the
    # records not merged).
    source.merged_into = target
    source._change_reason = _("Merged into customer #%(id)s") % {"id": target.pk}
    source._history_user = by
    source.save()
    target._change_reason = _merge_reason(source)
    target._history_user = by
    target.save()
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
