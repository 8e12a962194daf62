"""One registry of the settings the apps declare, with group defaults and company
overrides (docs/decisions/0018).

Each app declares its settings in AppConfig.ready():

    company_settings.register(Setting(
        "cancellation_window_days", _("No-questions cancellation window"), INT, default=3,
        unit=DAYS, minimum=1, maximum=30, help_text=_("…"), section=_("Customers")))

and reads them where a rule needs them:

    company_settings.effective(company, "cancellation_window_days")
    # Effective(value=7, source="company"): .source_label, .display → "7 days"

A value comes from the company's own row (when the setting may be overridden), else
the group's row (CompanySetting with no company), else the declared default. The
stored rows are cached per company; a warm cache answers without a query. Writes go
through org.services.setting_set / setting_clear, which check type and bounds.
"""

import decimal
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

INT, DECIMAL, BOOL, CHOICE = "int", "decimal", "bool", "choice"
DAYS, HOURS, YEARS, MINUTES = "days", "hours", "years", "minutes"
DEFAULT, GROUP, COMPANY = "default", "group", "company"

SOURCE_LABELS = {
    DEFAULT: gettext_lazy("declared default"),
    GROUP: gettext_lazy("group default"),
    COMPANY: gettext_lazy("company setting"),
}
UNIT_LABELS = {
    DAYS: gettext_lazy("days"),
    HOURS: gettext_lazy("hours"),
    YEARS: gettext_lazy("years"),
    MINUTES: gettext_lazy("minutes"),
}
CACHE_TIMEOUT = 3600  # a safety net only: every write moves the version on


def _with_unit(unit: str, value) -> str:
    count = int(value) if value == int(value) else 2  # a fraction reads as plural
    if unit == DAYS:
        return ngettext("%(n)s day", "%(n)s days", count) % {"n": value}
    if unit == HOURS:
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": value}
    if unit == YEARS:
        return ngettext("%(n)s year", "%(n)s years", count) % {"n": value}
    if unit == MINUTES:
        return ngettext("%(n)s minute", "%(n)s minutes", count) % {"n": value}
    return str(value)


@dataclass(frozen=True)
class Setting:
    key: str
    label: object  # lazy translated text
    kind: str  # INT, DECIMAL, BOOL or CHOICE
    default: object
    unit: str = ""  # DAYS, HOURS, YEARS, MINUTES or "" (shown with the value)
    minimum: object = None
    maximum: object = None
    minimum_reason: object = ""  # why the minimum, e.g. a statutory minimum
    overridable: bool = True  # may a company set its own value?
    help_text: object = ""
    choices: tuple = ()  # ((code, lazy label), …) for CHOICE
    section: object = ""  # heading on the settings pages (the declaring app)
    order: int = 100

    def __post_init__(self):
        if self.kind not in (INT, DECIMAL, BOOL, CHOICE):
            raise ValueError(f"setting {self.key}: unknown kind {self.kind}")
        if self.kind == CHOICE and not self.choices:
            raise ValueError(f"setting {self.key}: a choice needs choices")
        if self.accepts(self.to_json(self.default)) is None:
            raise ValueError(f"setting {self.key}: the default breaks the declaration")

    # --- values ------------------------------------------------------------------

    def to_json(self, value):
        return str(value) if self.kind == DECIMAL else value

    def accepts(self, raw):
        """The stored JSON value as Python, or None when the declaration refuses it
        (a value stored before a bound was tightened is not used)."""
        try:
            return self.clean(raw)
        except ValidationError:
            return None

    def clean(self, value):
        """`value` (Python or JSON) checked against the declaration; refusals name
        the setting and the bound."""
        value = self._coerce(value)
        if self.kind in (INT, DECIMAL):
            if self.minimum is not None and value < self.minimum:
                if self.minimum_reason:
                    message = _("%(label)s must be at least %(bound)s (%(reason)s).")
                else:
                    message = _("%(label)s must be at least %(bound)s.")
                self._refuse(message, self.minimum)
            if self.maximum is not None and value > self.maximum:
                self._refuse(_("%(label)s must be at most %(bound)s."), self.maximum)
        return value

    def _refuse(self, message, bound):
        raise ValidationError(
            {
                self.key: message
                % {"label": self.label, "bound": self.display(bound), "reason": self.minimum_reason}
            }
        )

    def _coerce(self, value):
        if self.kind == INT:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValidationError({self.key: _("Enter a whole number.")})
            try:
                return int(value)
            except ValueError:
                raise ValidationError({self.key: _("Enter a whole number.")}) from None
        if self.kind == DECIMAL:
            number = None
            if isinstance(value, int | float | str | decimal.Decimal) and not isinstance(
                value, bool
            ):
                try:
                    number = decimal.Decimal(str(value).strip())
                except decimal.InvalidOperation:
                    number = None
            if number is None or not number.is_finite():
                raise ValidationError({self.key: _("Enter a number.")})
            return number
        if self.kind == BOOL:
            if not isinstance(value, bool):
                raise ValidationError({self.key: _("Choose yes or no.")})
            return value
        if value not in dict(self.choices):
            raise ValidationError({self.key: _("Choose one of the offered values.")})
        return value

    # --- display -----------------------------------------------------------------

    def display(self, value) -> str:
        if self.kind == BOOL:
            return str(_("Yes") if value else _("No"))
        if self.kind == CHOICE:
            return str(dict(self.choices).get(value, value))
        return _with_unit(self.unit, value)

    @property
    def unit_label(self):
        return UNIT_LABELS.get(self.unit, "")

    def bounds_text(self) -> str:
        low, high = self.minimum, self.maximum
        if self.kind not in (INT, DECIMAL) or (low is None and high is None):
            return ""
        if low is not None and high is not None:
            text = _("From %(low)s to %(high)s.") % {
                "low": self.display(low),
                "high": self.display(high),
            }
        elif low is not None:
            text = _("At least %(low)s.") % {"low": self.display(low)}
        else:
            text = _("At most %(high)s.") % {"high": self.display(high)}
        if low is not None and self.minimum_reason:
            reason = _("%(bound)s is %(reason)s.") % {
                "bound": self.display(low),
                "reason": self.minimum_reason,
            }
            text = f"{text} {reason}"
        return text


@dataclass(frozen=True)
class Effective:
    value: object
    source: str  # DEFAULT, GROUP or COMPANY
    setting: Setting = field(repr=False, compare=False, default=None)

    @property
    def source_label(self):
        return SOURCE_LABELS[self.source]

    @property
    def display(self) -> str:
        return self.setting.display(self.value) if self.setting else str(self.value)


# --- the registry --------------------------------------------------------------------

_SETTINGS: dict[str, Setting] = {}


def register(setting: Setting) -> None:
    known = _SETTINGS.get(setting.key)
    if known is not None and known != setting:
        raise ValueError(f"setting {setting.key} is declared twice")
    _SETTINGS[setting.key] = setting


def unregister(key: str) -> None:
    """For tests that declare a scratch setting."""
    _SETTINGS.pop(key, None)


def get(key: str) -> Setting:
    return _SETTINGS[key]


def registered() -> list[Setting]:
    return sorted(_SETTINGS.values(), key=lambda s: (str(s.section), s.order, s.key))


# --- reading, cached ------------------------------------------------------------------


def _company_id(company):
    return getattr(company, "pk", company)


def _version_key(company_id) -> str:
    return f"org.settings.version.{company_id if company_id is not None else 'group'}"


def _versions(company_ids) -> dict:
    keys = {cid: _version_key(cid) for cid in company_ids}
    found = cache.get_many(list(keys.values()))
    versions = {}
    for cid, key in keys.items():
        version = found.get(key)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(key, version, timeout=None):
                version = cache.get(key) or version
        versions[cid] = version
    return versions


def _stored(company_ids) -> dict:
    """{company id: {"group": {key: json}, "company": {key: json}}} from the cache,
    with one query for the companies it does not hold."""
    from .models import CompanySetting

    ids = set(company_ids)
    versions = _versions({None, *ids})
    group_version = versions[None]
    data_keys = {cid: f"org.settings.{group_version}.{cid}.{versions[cid]}" for cid in ids}
    cached = cache.get_many(list(data_keys.values()))
    stored = {cid: cached[key] for cid, key in data_keys.items() if key in cached}
    missing = ids - set(stored)
    if not missing:
        return stored
    wanted = Q(company__isnull=True)
    if missing - {None}:
        wanted |= Q(company_id__in=missing - {None})
    rows = CompanySetting.objects.filter(wanted).values_list("company_id", "key", "value")
    group, own = {}, {}
    for company_id, key, value in rows:
        if company_id is None:
            group[key] = value
        else:
            own.setdefault(company_id, {})[key] = value
    fresh = {
        cid: {"group": group, "company": own.get(cid, {}) if cid is not None else {}}
        for cid in missing
    }
    cache.set_many({data_keys[cid]: fresh[cid] for cid in missing}, timeout=CACHE_TIMEOUT)
    return {**stored, **fresh}


def _resolve(setting: Setting, stored: dict) -> Effective:
    if setting.overridable:
        value = setting.accepts(stored["company"].get(setting.key))
        if value is not None:
            return Effective(value, COMPANY, setting)
    value = setting.accepts(stored["group"].get(setting.key))
    if value is not None:
        return Effective(value, GROUP, setting)
    return Effective(setting.default, DEFAULT, setting)


def effective(company, key: str) -> Effective:
    """The value that applies to `company` (a Company, its id, or None for the group)
    and where it comes from."""
    setting = get(key)
    company_id = _company_id(company)
    return _resolve(setting, _stored([company_id])[company_id])


def effective_many(companies, key: str) -> dict:
    """{company id: Effective} for several companies at once (sweeps): one query for
    all of them on a cold cache, none on a warm one."""
    setting = get(key)
    ids = [_company_id(company) for company in companies]
    stored = _stored(ids)
    return {cid: _resolve(setting, stored[cid]) for cid in ids}


def stored_value(company, key: str):
    """The value stored at this level (the company's own, or the group's with None),
    or None when it inherits."""
    setting = get(key)
    company_id = _company_id(company)
    stored = _stored([company_id])[company_id]
    return setting.accepts(stored["company" if company_id is not None else "group"].get(key))


def inherited(company, key: str) -> Effective:
    """What applies to `company` when it has no value of its own."""
    setting = get(key)
    if _company_id(company) is None:
        return Effective(setting.default, DEFAULT, setting)
    return _resolve(setting, {"group": _stored([None])[None]["group"], "company": {}})


def invalidate(company_id) -> None:
    """A stored value changed: move the version on now (this transaction reads its own
    change) and again after commit (a reader that cached the old rows in between is
    superseded). A group change moves every company on with it."""

    def bump():
        cache.set(_version_key(company_id), uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)
