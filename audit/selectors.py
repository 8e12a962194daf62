"""The audit trail as people read it: who, when, what changed (old → new).

django-simple-history stores one full copy of the row per save; an entry is the
difference between a copy and the one before it (`diff_against`). Values are shown
the way the record's own page shows them: choices by label, foreign keys by name."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Never worth a line in the trail (always set on creation, or internal).
HIDDEN_FIELDS = {"id", "date_joined", "created_at", "updated_at"}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    action_code: str
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    event: str = ""  # a state event's action name (history_entries), for pages that pick one


def history_for(obj, *, subject: str = "", mask: dict | None = None) -> list[Entry]:
    """Entries for one record, newest first. `mask` maps a field name to a function
    applied to its old and new values (e.g. ID numbers shown masked)."""
    return entries_from_records(obj.history.all(), subject=subject, mask=mask)


def history_for_staff(user) -> list[Entry]:
    """A staff member's trail: their account and every role they were given, merged,
    newest first. Each role's entries name the role and company they concern."""
    from org.models import Membership

    entries = history_for(user, subject=str(_("Account")))
    records = Membership.history.filter(user_id=user.pk)
    by_membership: dict[int, list] = {}
    for record in records.select_related("history_user", "company"):
        by_membership.setdefault(record.id, []).append(record)
    for rows in by_membership.values():
        latest = max(rows, key=lambda r: (r.history_date, r.history_id))
        where = latest.company.name if latest.company_id and latest.company else _("Group")
        subject = _("Role: %(role)s · %(where)s") % {
            "role": latest.get_role_display(),
            "where": where,
        }
        entries.extend(_entries(rows, Membership.history.model, subject=str(subject)))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def entries_from_records(records, *, subject: str = "", mask: dict | None = None) -> list[Entry]:
    rows = list(records.select_related("history_user"))
    entries = _entries(rows, records.model, subject=subject, mask=mask)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _entries(rows, history_model, *, subject: str, mask: dict | None = None) -> list[Entry]:
    mask = mask or {}
    rows = sorted(rows, key=lambda r: (r.history_date, r.history_id))
    fields = [f for f in history_model.tracked_fields if f.editable and f.name not in HIDDEN_FIELDS]
    labels = _related_labels(rows, fields)
    entries = []
    previous = None
    for record in rows:
        if record.history_type == "+" or previous is None:
            pairs = [
                (f, None, getattr(record, f.attname))
                for f in fields
                if getattr(record, f.attname) not in (None, "", False)
            ]
        elif record.history_type == "-":
            pairs = []
        else:
            delta = record.diff_against(previous, included_fields=[f.name for f in fields])
            by_name = {f.name: f for f in fields}
            pairs = [(by_name[c.field], c.old, c.new) for c in delta.changes]
        pairs = [
            (f, mask[f.name](old), mask[f.name](new)) if f.name in mask else (f, old, new)
            for f, old, new in pairs
        ]
        entries.append(
            Entry(
                when=record.history_date,
                who=_who(record),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                action_code=record.history_type,
                subject=subject,
                reason=record.history_change_reason or "",
                changes=[
                    FieldChange(
                        capfirst(str(f.verbose_name)), _show(f, old, labels), _show(f, new, labels)
                    )
                    for f, old, new in pairs
                ],
            )
        )
        previous = record
    return [e for e in entries if e.changes or e.reason or e.action_code != "~"]


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return str(_("System"))
    return getattr(user, "display_name", None) or str(user)


def _related_labels(rows, fields) -> dict:
    """{(related model, pk): label} for every foreign key value in `rows`: one query
    per related model, not one per row."""
    labels = {}
    for f in fields:
        if not f.is_relation:
            continue
        model = f.related_model
        ids = {getattr(r, f.attname) for r in rows} - {None}
        if not ids:
            continue
        related = [g.name for g in model._meta.concrete_fields if g.is_relation]
        for pk, obj in model._base_manager.select_related(*related).in_bulk(ids).items():
            labels[(model, pk)] = str(obj)
    return labels


def _show(f, value, labels) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, date):
        return formats.localize(value)
    return str(value)


def state_events_for(obj, *, also=()):
    """Transitions of `obj` (and of the records in `also`, e.g. a customer's
    ownerships), newest first, with their actors loaded (one query)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import StateEvent

    query = Q(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    for record in also:
        query |= Q(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        )
    return StateEvent.objects.filter(query).select_related("actor", "content_type")
