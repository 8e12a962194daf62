"""State machines with an event history, one mechanism for every app.

A model that has a life cycle declares a `Workflow`: the field that holds its state
and a table of `Transition`s (action name, from which states, to which state, who may
do it, what must be entered). Every change of state goes through `transition()`:

    ownership = transition(ownership, "contract", by=user, contracted_on=date)

which locks the row, checks the actor and the state, runs the transition's own rule
and field updates, writes the new state and an `audit.StateEvent` (entity, action,
from, to, actor, time, reason, payload) in one transaction, and runs the after-commit
hooks. `available_actions(obj, user)` lists what this user may do to this record now,
so templates and the API never guess with role strings.

Something worth a line in the history that does not change the state (a case's
escalation, the managers a reopened case was handed to) is recorded with
`record_events(objs, action, by=…, reason=…)`; its label is one of the workflow's
`events`, so the History tab reads it like any transition. Its rows are one INSERT,
which sends no `post_save`: `events_recorded` tells whoever caches a record's history.

Refusals are the platform's: `IllegalTransition` (wrong state or unknown action),
`RoleRequired`/`OutOfScope` from the access check, `ValidationError` by field for a
missing reason or a broken rule. docs/decisions/0015-transitions.md says why this is
our own small module rather than django-fsm.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from audit.acting import current_actor, name_of
from org.scoping import OutOfScope, RoleRequired
from vanke_crm.errors import DomainError, IllegalTransition

_WORKFLOWS: dict = {}

# Sent by record_events after its INSERT: sender the workflow's model, `objs` the records.
events_recorded = Signal()


@dataclass(frozen=True)
class Transition:
    """One row of a model's transition table.

    - `source`: the states it starts from; `target`: the state it leads to, or a
      function (obj, data) → state when that depends on the record (e.g. a refused
      cancellation goes back to where it came from).
    - `access(user, obj)`: raises RoleRequired/OutOfScope when the user may not.
    - `requires`: names of data that must be given (e.g. "reason").
    - `guard(obj, data, by)`: raises a DomainError/ValidationError for a broken rule.
    - `apply(obj, data, by)`: sets the fields the action changes besides the state.
      (`data` holds what was entered, with the reason under "reason".)
    - `after(obj, event, by)`: work inside the same transaction after the save.
    - `on_commit(obj, event)`: side effects once the transaction has committed.
    """

    action: str
    source: tuple
    target: str | Callable
    label: object  # lazy translated text for buttons and the History tab
    access: Callable
    requires: tuple = ()
    guard: Callable | None = None
    apply: Callable | None = None
    after: Callable | None = None
    on_commit: Callable | None = None
    refusal: object = None  # the message when the state does not allow it, or (obj) → it
    done: object = None  # the message after success; or a function (obj) → message
    style: str = ""  # "danger" for destructive buttons, "" otherwise
    recorded: tuple | None = None  # which entered values the event keeps (None: all)
    # (obj) → bool: whether the button is offered now, for a rule that needs no input
    # (e.g. "resume" only while paused); the guard still decides when it is run.
    offered: Callable | None = None

    def target_for(self, obj, data) -> str:
        return self.target(obj, data) if callable(self.target) else self.target

    def done_message(self, obj) -> str:
        if callable(self.done):
            return str(self.done(obj))
        return str(self.done or _("Saved."))


@dataclass
class Workflow:
    model: type
    transitions: list
    state_field: str = "status"
    # Events recorded without a change of state (`record_events`): action → label.
    events: dict = field(default_factory=dict)
    by_action: dict = field(init=False)

    def __post_init__(self):
        self.by_action = {t.action: t for t in self.transitions}
        if len(self.by_action) != len(self.transitions):
            raise ValueError(f"{self.model.__name__}: two transitions share an action name")
        if set(self.events) & set(self.by_action):
            raise ValueError(f"{self.model.__name__}: an event shares a transition's name")

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def label_of_state(self, value) -> str:
        choices = dict(self.model._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(value, value))

    def label_of_action(self, action) -> str:
        """A transition's label, or the label of an event recorded without one."""
        rule = self.by_action.get(action)
        return str(rule.label if rule else self.events.get(action, action))


def register(workflow: Workflow) -> Workflow:
    _WORKFLOWS[workflow.model] = workflow
    return workflow


def workflow_for(model_or_obj) -> Workflow:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    try:
        return _WORKFLOWS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered workflow") from None


def transition(obj, action: str, *, by, reason: str = "", **data):
    """Run `action` on `obj` as `by`; returns the fresh, changed record."""
    workflow, rule = _rule(obj, action)
    with transaction.atomic():
        locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        rule.access(by, locked)
        before = workflow.state_of(locked)
        if before not in rule.source:
            raise _not_now(workflow, rule, locked)
        reason = (reason or "").strip()
        entered = {**data, "reason": reason}  # what the rules see; the event keeps both
        _require(rule, entered)
        if rule.guard:
            rule.guard(locked, entered, by)
        target = rule.target_for(locked, entered)
        if rule.apply:
            rule.apply(locked, entered, by)
        setattr(locked, workflow.state_field, target)
        locked.save()
        event = _record(locked, rule, before, target, by, reason, data)
        if rule.after:
            rule.after(locked, event, by)
        if rule.on_commit:
            hook = rule.on_commit
            transaction.on_commit(lambda: hook(locked, event))
    return locked


def _rule(obj, action):
    workflow = workflow_for(obj)
    rule = workflow.by_action.get(action)
    if rule is None:
        raise IllegalTransition(_("This action does not exist for this record."))
    return workflow, rule


def _not_now(workflow, rule, obj) -> IllegalTransition:
    refusal = rule.refusal(obj) if callable(rule.refusal) else rule.refusal
    return IllegalTransition(
        refusal
        or _("“%(action)s” is not possible while the record is “%(state)s”.")
        % {"action": rule.label, "state": workflow.label_of_state(workflow.state_of(obj))}
    )


def _require(rule, entered) -> None:
    missing = {}
    for name in rule.requires:
        if entered.get(name) in (None, "", [], ()):
            missing[name] = _("This is required for “%(action)s”.") % {"action": rule.label}
    if missing:
        raise ValidationError(missing)


def _record(obj, rule, before, after, by, reason, data):
    from django.contrib.contenttypes.models import ContentType

    from audit.models import StateEvent

    actor = by if by is not None else current_actor()
    return StateEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        action=rule.action,
        from_state=before or "",
        to_state=after,
        actor=actor,
        actor_name=name_of(actor),
        reason=reason,
        payload={
            k: _plain(v) for k, v in data.items() if rule.recorded is None or k in rule.recorded
        },
    )


def record_events(objs, action: str, *, by=None, reason: str = "", payload=None) -> list:
    """Record `action`, one of the workflow's `events`, on each of `objs` in one INSERT
    (a sweeper's batch), in the caller's transaction: the state stays as it is, the
    event names the actor (`by`, else whoever is acting, else the system) and why.
    `payload` is a dict, or a function (obj) → dict."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import StateEvent

    objs = list(objs)
    if not objs:
        return []
    workflow = workflow_for(objs[0])
    if action not in workflow.events:
        raise ValueError(f"{workflow.model.__name__} records no event {action!r}")
    actor = by if by is not None else current_actor()
    content_type = ContentType.objects.get_for_model(workflow.model)
    rows = []
    for obj in objs:
        state = workflow.state_of(obj)
        data = payload(obj) if callable(payload) else (payload or {})
        rows.append(
            StateEvent(
                content_type=content_type,
                object_id=obj.pk,
                action=action,
                from_state=state,
                to_state=state,
                actor=actor,
                actor_name=name_of(actor),
                reason=str(reason),
                payload={k: _plain(v) for k, v in data.items()},
            )
        )
    created = StateEvent.objects.bulk_create(rows)
    events_recorded.send(sender=workflow.model, objs=objs, action=action)
    return created


def _plain(value):
    """JSON-safe form of what was entered (dates as ISO text, records by pk)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def available_actions(obj, user) -> list[Transition]:
    """What `user` may do to `obj` in its current state (for buttons and the API)."""
    workflow = workflow_for(obj)
    state = workflow.state_of(obj)
    allowed = []
    for rule in workflow.transitions:
        if state not in rule.source or (rule.offered and not rule.offered(obj)):
            continue
        try:
            rule.access(user, obj)
        except (RoleRequired, OutOfScope, DomainError):
            continue
        allowed.append(rule)
    return allowed


def history_entries(events, *, subject=None) -> list:
    """State events as History-tab entries (who, when, action, status old → new,
    reason). `subject(record_id, model)` names the record when several are mixed.
    Reads of each event its own columns only (the actor by the name it recorded, the
    model from ContentType's cache): `events` need not join anything."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import capfirst

    from audit.selectors import Entry, FieldChange

    entries = []
    for event in events:
        model = ContentType.objects.get_for_id(event.content_type_id).model_class()
        workflow = _WORKFLOWS.get(model)
        state_label = workflow.label_of_state if workflow else str
        status_name = (
            capfirst(str(model._meta.get_field(workflow.state_field).verbose_name))
            if workflow
            else _("Status")
        )
        # An event recorded without a transition (record_events) changed no state.
        noted = workflow is not None and event.action in workflow.events
        entries.append(
            Entry(
                when=event.at,
                who=event.actor_name,
                action=workflow.label_of_action(event.action) if workflow else event.action,
                action_code="t",
                subject=subject(event.object_id, model) if subject else "",
                reason=event.reason,
                changes=[]
                if noted
                else [
                    FieldChange(
                        status_name,
                        state_label(event.from_state) if event.from_state else "—",
                        state_label(event.to_state),
                    )
                ],
                event=event.action,
            )
        )
    return entries


def ensure_possible(obj, action: str, *, by, **data) -> None:
    """Refuse now, the way `transition` would, before expensive work that ends in that
    transition (e.g. an import checks its rows first): access, state and the rule's
    guard; nothing is locked or written."""
    workflow, rule = _rule(obj, action)
    rule.access(by, obj)
    if workflow.state_of(obj) not in rule.source:
        raise _not_now(workflow, rule, obj)
    if rule.guard:
        rule.guard(obj, {**data, "reason": ""}, by)
