"""Working time on a company's working calendar (docs/decisions/0023).

    is_working_day(company, date)
    add_working_hours(company, start, hours, pauses=())    → the deadline (aware)
    working_hours_between(company, start, end, pauses=())  → Decimal hours

A day is a working day or not by the first of these that knows it: the company's own
entry (org.WorkingDay), the group's entry (a WorkingDay with no company), the official
calendar (the chinese-calendar package: public holidays and make-up working days), and
for a year the package does not know, Monday to Friday. On a working day the clock runs
during the working hours of the settings registry (org.calendar_settings), without the
lunch break. Time is counted in settings.TIME_ZONE (Asia/Shanghai).

`WorkingCalendar(company)` keeps one company's calendar for many computations (a
sweeper makes one per company): it reads the entries of all the years it needs in one
query, cached per year (a warm cache answers with none), and every edit moves the
cache on (org.services.working_day_add / working_day_remove call `invalidate`)."""

import dataclasses
import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from chinese_calendar import constants as official
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanke_crm.errors import InvalidInput

from . import calendar_settings, company_settings

# A deadline further than this is refused rather than searched for ever.
SEARCH_DAYS = 400
MAX_RANGE_DAYS = 3660  # working_hours_between: about ten years
CACHE_TIMEOUT = 24 * 3600  # a safety net only: every edit moves the version on
COMPANY, GROUP, OFFICIAL, STANDARD = "company", "group", "official", "standard"

# The years the installed chinese-calendar knows (1.11.0: 2004–2026).
OFFICIAL_YEARS = range(
    min(official.holidays).year, max(*official.holidays, *official.workdays).year + 1
)

Holiday = official.Holiday
HOLIDAY_NAMES = {
    Holiday.new_years_day.value: gettext_lazy("New Year's Day"),
    Holiday.spring_festival.value: gettext_lazy("Spring Festival"),
    Holiday.tomb_sweeping_day.value: gettext_lazy("Tomb-sweeping Day"),
    Holiday.labour_day.value: gettext_lazy("Labour Day"),
    Holiday.dragon_boat_festival.value: gettext_lazy("Dragon Boat Festival"),
    Holiday.national_day.value: gettext_lazy("National Day"),
    Holiday.mid_autumn_festival.value: gettext_lazy("Mid-autumn Festival"),
    Holiday.anti_fascist_70th_day.value: gettext_lazy("Victory Day (70th anniversary)"),
}
SOURCE_LABELS = {
    COMPANY: gettext_lazy("this company"),
    GROUP: gettext_lazy("group-wide"),
    OFFICIAL: gettext_lazy("official calendar"),
    STANDARD: gettext_lazy("Monday to Friday"),
}


class BeyondCalendar(InvalidInput):
    """A computation that would reach too far (a deadline more than SEARCH_DAYS ahead)."""


@dataclass(frozen=True)
class Day:
    date: dt.date
    is_working: bool
    source: str  # COMPANY, GROUP, OFFICIAL or STANDARD (the Monday-to-Friday rule)
    name: object = ""  # the holiday's name or the entry's reason
    entry_id: int | None = None  # the WorkingDay row of a company or group entry
    created_by: str = ""
    official: "Day | None" = None  # what the official calendar says under an entry

    @property
    def source_label(self):
        return SOURCE_LABELS[self.source]

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() > 4


def holiday_name(name: str):
    return HOLIDAY_NAMES.get(name, name)


def official_day(day: dt.date) -> Day:
    """What the official calendar says of `day` (Monday to Friday in a year it does
    not know yet)."""
    if day.year in OFFICIAL_YEARS:
        if day in official.workdays:
            return Day(day, True, OFFICIAL, holiday_name(official.workdays[day]))
        if day in official.holidays:
            return Day(day, False, OFFICIAL, holiday_name(official.holidays[day]))
    return Day(day, day.weekday() < 5, STANDARD)


def editable_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days staff may enter: from last year (a typhoon recorded afterwards) to the
    end of the year after next."""
    return dt.date(today.year - 1, 1, 1), dt.date(today.year + 2, 12, 31)


def official_year_known(year: int) -> bool:
    return year in OFFICIAL_YEARS


@functools.cache
def _official_dates() -> dict:
    """{year: [dates]} of the official holidays and make-up working days."""
    by_year: dict = {}
    for day in (*official.holidays, *official.workdays):
        by_year.setdefault(day.year, []).append(day)
    return by_year


# --- the stored entries, cached per company and year ---------------------------------


def _version_key(company_id) -> str:
    return f"org.calendar.version.{company_id if company_id is not None else 'group'}"


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


def _entries(company_id, years) -> dict:
    """{year: {date: Day}} of the stored entries that apply to the company (its own over
    the group's; company_id None: the group's), one query for the years not cached."""
    from .models import WorkingDay

    versions = _versions({None, company_id})
    owner = company_id if company_id is not None else "group"
    keys = {
        year: f"org.calendar.{versions[None]}.{owner}.{versions[company_id]}.{year}"
        for year in years
    }
    cached = cache.get_many(list(keys.values()))
    found = {year: cached[key] for year, key in keys.items() if key in cached}
    missing = sorted(set(years) - set(found))
    if not missing:
        return found
    wanted = Q(company__isnull=True)
    if company_id is not None:
        wanted |= Q(company_id=company_id)
    rows = (
        WorkingDay.objects.filter(
            wanted,
            date__gte=dt.date(missing[0], 1, 1),
            date__lte=dt.date(missing[-1], 12, 31),
        )
        .order_by()
        .values_list(
            "pk",
            "company_id",
            "date",
            "is_working",
            "reason",
            "created_by__name",
            "created_by__username",
        )
    )
    fresh = {year: {} for year in missing}
    # The group's entries first, so that a company's own entry of the same day wins.
    for pk, cid, day, is_working, reason, name, username in sorted(
        rows, key=lambda row: row[1] is not None
    ):
        source = GROUP if cid is None else COMPANY
        author = name or username or ""
        fresh[day.year][day] = Day(day, is_working, source, reason, pk, author)
    cache.set_many({keys[year]: fresh[year] for year in missing}, timeout=CACHE_TIMEOUT)
    return {**found, **fresh}


def invalidate(company_id) -> None:
    """An entry changed: move the version on now (this transaction reads its own change)
    and again after commit (a reader that cached the old rows in between is superseded).
    A group entry moves every company on with it."""

    def bump():
        cache.set(_version_key(company_id), uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)


# --- the calendar --------------------------------------------------------------------


def _minutes(code: str) -> int:
    hours, minutes = code.split(":")
    return int(hours) * 60 + int(minutes)


def _local(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
        raise ValueError("working time needs aware datetimes")
    return timezone.localtime(moment)


def _duration(hours) -> dt.timedelta:
    try:
        number = Decimal(str(hours))
    except InvalidOperation:
        raise ValueError(f"not a number of hours: {hours!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"hours must be a finite number, at least 0: {hours!r}")
    if number > SEARCH_DAYS * 24:
        raise _too_far()
    return dt.timedelta(microseconds=int((number * 3_600_000_000).to_integral_value()))


def _as_hours(span: dt.timedelta) -> Decimal:
    micro = (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds
    return (Decimal(micro) / Decimal(3_600_000_000)).quantize(Decimal("0.0001"))


def _merged(pauses) -> list:
    """The pauses as sorted, non-overlapping (from, to) pairs in local time."""
    spans = sorted((_local(begin), _local(end)) for begin, end in pauses)
    merged = []
    for begin, end in spans:
        if end <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _without(begin, end, pauses):
    """The parts of [begin, end) outside the pauses."""
    for pause_begin, pause_end in pauses:
        if pause_end <= begin:
            continue
        if pause_begin >= end:
            break
        if pause_begin > begin:
            yield begin, pause_begin
        begin = max(begin, pause_end)
        if begin >= end:
            return
    if begin < end:
        yield begin, end


def _too_far():
    return BeyondCalendar(
        _("The deadline would lie more than %(days)s days ahead; check the hours.")
        % {"days": SEARCH_DAYS}
    )


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class WorkingCalendar:
    """One company's working calendar (None: the group's own entries only)."""

    def __init__(self, company):
        self.company_id = getattr(company, "pk", company)
        self._entries: dict = {}
        self._hours = None

    def load(self, first_year: int, last_year: int) -> None:
        """Read the entries of these years at once (one query for all that are not
        cached)."""
        years = [y for y in range(first_year, last_year + 1) if y not in self._entries]
        if years:
            self._entries.update(_entries(self.company_id, years))

    def day(self, date: dt.date) -> Day:
        self.load(date.year, date.year)
        entry = self._entries[date.year].get(date)
        if entry is None:
            return official_day(date)
        return dataclasses.replace(entry, official=official_day(date))

    def is_working_day(self, date: dt.date) -> bool:
        return self.day(date).is_working

    def special_days(self, year: int) -> list[Day]:
        """The days of `year` that are not plain Monday-to-Friday: official holidays and
        make-up working days, and the stored entries over them, by date."""
        self.load(year, year)
        dates = set(_official_dates().get(year, ())) | set(self._entries[year])
        return [self.day(date) for date in sorted(dates)]

    # --- working hours ---------------------------------------------------------------

    def hours(self) -> tuple:
        """(start, lunch start, lunch end, end) in minutes after midnight."""
        if self._hours is None:
            value = {
                key: company_settings.effective(self.company_id, key).value
                for key in calendar_settings.KEYS
            }
            start = _minutes(value[calendar_settings.DAY_START])
            end = _minutes(value[calendar_settings.DAY_END])
            lunch = _minutes(value[calendar_settings.LUNCH_START])
            lunch_end = lunch + value[calendar_settings.LUNCH_MINUTES]
            self._hours = (start, lunch, lunch_end, end)
        return self._hours

    def periods(self, date: dt.date) -> list:
        """The working periods of `date` as aware (from, to) pairs; none on a day off."""
        if not self.is_working_day(date):
            return []
        start, lunch, lunch_end, end = self.hours()
        spans = [(start, min(lunch, end)), (max(lunch_end, start), end)]
        zone = timezone.get_default_timezone()
        midnight = dt.datetime.combine(date, dt.time(), tzinfo=zone)
        return [
            (midnight + dt.timedelta(minutes=a), midnight + dt.timedelta(minutes=b))
            for a, b in spans
            if a < b
        ]

    def add_working_hours(self, start: dt.datetime, hours, *, pauses=()) -> dt.datetime:
        """The moment `hours` working hours after `start` (counted from the next working
        period when `start` is outside one), the clock stopped during `pauses`."""
        start = _local(start)
        remaining = _duration(hours)
        pauses = _merged(pauses)
        first = start.date()
        if first > dt.date.max - dt.timedelta(days=SEARCH_DAYS):
            raise _too_far()
        last = first + dt.timedelta(days=SEARCH_DAYS)
        self.load(first.year, last.year)
        for day in _days(first, last):
            for begin, end in self.periods(day):
                for a, b in _without(max(begin, start), end, pauses):
                    if remaining <= b - a:
                        return a + remaining
                    remaining -= b - a
        raise _too_far()

    def working_hours_between(self, start: dt.datetime, end: dt.datetime, *, pauses=()):
        """Working hours from `start` to `end` without `pauses` (negative when `end` is
        before `start`: how far a deadline is overdue)."""
        start, end = _local(start), _local(end)
        if end < start:
            return -self.working_hours_between(end, start, pauses=pauses)
        if (end.date() - start.date()).days > MAX_RANGE_DAYS:
            raise BeyondCalendar(
                _("Working hours are counted over at most %(days)s days.")
                % {"days": MAX_RANGE_DAYS}
            )
        pauses = _merged(pauses)
        self.load(start.year, end.year)
        total = dt.timedelta()
        for day in _days(start.date(), end.date()):
            for begin, finish in self.periods(day):
                for a, b in _without(max(begin, start), min(finish, end), pauses):
                    total += b - a
        return _as_hours(total)


# --- the functions other apps call ----------------------------------------------------


def is_working_day(company, date: dt.date) -> bool:
    return WorkingCalendar(company).is_working_day(date)


def add_working_hours(company, start: dt.datetime, hours, *, pauses=()) -> dt.datetime:
    return WorkingCalendar(company).add_working_hours(start, hours, pauses=pauses)


def working_hours_between(company, start: dt.datetime, end: dt.datetime, *, pauses=()):
    return WorkingCalendar(company).working_hours_between(start, end, pauses=pauses)


def special_days(company, year: int) -> list[Day]:
    return WorkingCalendar(company).special_days(year)
