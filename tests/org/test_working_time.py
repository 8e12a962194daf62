"""The working calendar's arithmetic (org.working_time, docs/decisions/0023): official
holidays and make-up working days from chinese-calendar, local and group-wide entries,
working hours from the settings registry, pauses, and what it costs in queries."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from chinese_calendar import constants as official
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import DomainEvent
from org import events as org_events
from org import working_time as wt
from org.models import Role, WorkingDay
from org.scoping import OutOfScope, RoleRequired
from org.services import setting_set, working_day_add, working_day_remove
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=0, minute=0):
    """A moment in the calendar's time zone (Asia/Shanghai)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def early_2026():
    """Entries may be made from last year to the year after next: the tests' 2026 days
    stay editable whenever they run."""
    with time_machine.travel(at(2026, 1, 20, 10), tick=False):
        yield


def day_off(company, date, by, reason="台风停工"):
    return working_day_add(company=company, date=date, is_working=False, reason=reason, by=by)


# --- the official calendar -------------------------------------------------------------


def test_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_spring_festival_2026_and_its_make_up_saturdays_come_from_the_package(company_a):
    holiday = sorted(
        d for d, name in official.holidays.items() if d.year == 2026 and name == "Spring Festival"
    )
    make_up = sorted(
        d for d, name in official.workdays.items() if d.year == 2026 and name == "Spring Festival"
    )
    assert (holiday[0], holiday[-1]) == (dt.date(2026, 2, 15), dt.date(2026, 2, 23))
    assert make_up == [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]
    assert all(d.weekday() == 5 for d in make_up)  # both Saturdays
    assert not any(wt.is_working_day(company_a, d) for d in holiday)
    assert all(wt.is_working_day(company_a, d) for d in make_up)
    assert not wt.is_working_day(company_a, dt.date(2026, 3, 7))  # a plain Saturday
    assert wt.is_working_day(company_a, dt.date(2026, 3, 6))  # a plain Friday


def test_deadline_over_the_spring_festival_lands_on_the_right_working_hour(company_a):
    # Friday 13 February 17:00, 16 working hours (8 a day: 9–12, 13–18): one hour on
    # Friday, the make-up Saturday 14th, then nothing until Tuesday 24th, 7 hours in.
    start = at(2026, 2, 13, 17)
    assert wt.add_working_hours(company_a, start, 16) == at(2026, 2, 24, 17)
    # 9 hours only reach into the make-up Saturday.
    assert wt.add_working_hours(company_a, start, 9) == at(2026, 2, 14, 18)
    assert wt.add_working_hours(company_a, start, Decimal("4.5")) == at(2026, 2, 14, 13, 30)


def test_a_make_up_saturday_counts_as_a_working_day(company_a):
    # Friday 27 February 17:00 + 2 hours: the second make-up Saturday, 10:00.
    assert wt.add_working_hours(company_a, at(2026, 2, 27, 17), 2) == at(2026, 2, 28, 10)
    # A week later the same Saturday is off: the deadline waits for Monday.
    assert wt.add_working_hours(company_a, at(2026, 3, 6, 17), 2) == at(2026, 3, 9, 10)


def test_a_year_the_package_does_not_know_counts_monday_to_friday(company_a):
    year = wt.OFFICIAL_YEARS[-1] + 1
    assert not wt.official_year_known(year)
    for day in (dt.date(year, 1, 1), dt.date(year, 1, 2), dt.date(year, 1, 3)):
        assert wt.is_working_day(company_a, day) == (day.weekday() < 5)
    assert wt.special_days(company_a, year) == []
    assert wt.official_year_known(2026)


# --- working hours -----------------------------------------------------------------------


def test_counting_skips_the_lunch_break(company_a):
    assert wt.add_working_hours(company_a, at(2026, 3, 2, 11), 2) == at(2026, 3, 2, 14)
    assert wt.add_working_hours(company_a, at(2026, 3, 2, 12, 30), 1) == at(2026, 3, 2, 14)


def test_a_start_outside_working_time_counts_from_the_next_working_period(company_a):
    monday = (2026, 3, 2)
    assert wt.add_working_hours(company_a, at(*monday, 7, 30), 1) == at(*monday, 10)
    assert wt.add_working_hours(company_a, at(*monday, 20), 1) == at(2026, 3, 3, 10)
    assert wt.add_working_hours(company_a, at(2026, 3, 1, 15), 1) == at(*monday, 10)  # Sunday
    assert wt.add_working_hours(company_a, at(*monday, 19), 0) == at(2026, 3, 3, 9)
    assert wt.add_working_hours(company_a, at(*monday, 18), 8) == at(2026, 3, 3, 18)


def test_a_start_in_another_time_zone_is_counted_in_shanghai(company_a):
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    deadline = wt.add_working_hours(company_a, start, 1)
    assert deadline == at(2026, 3, 2, 10) and deadline.utcoffset() == dt.timedelta(hours=8)


def test_a_company_sets_its_own_working_hours(company_a, company_b, crm_a):
    for key, value in (
        ("working_day_start", "08:30"),
        ("working_day_end", "17:30"),
        ("lunch_break_minutes", 90),
    ):
        setting_set(company=company_a, key=key, value=value, by=crm_a)
    calendar = wt.WorkingCalendar(company_a)
    assert [(a.time(), b.time()) for a, b in calendar.periods(dt.date(2026, 3, 2))] == [
        (dt.time(8, 30), dt.time(12)),
        (dt.time(13, 30), dt.time(17, 30)),
    ]
    start = at(2026, 3, 2, 8, 30)
    assert wt.add_working_hours(company_a, start, Decimal("7.5")) == at(2026, 3, 2, 17, 30)
    assert wt.add_working_hours(company_a, start, 8) == at(2026, 3, 3, 9)
    assert wt.add_working_hours(company_b, start, 8) == at(2026, 3, 2, 18)  # 9–18 there
    assert wt.working_hours_between(company_a, start, at(2026, 3, 3, 8, 30)) == Decimal("7.5")


def test_no_lunch_break(company_a, crm_a):
    setting_set(company=company_a, key="lunch_break_minutes", value=0, by=crm_a)
    assert wt.add_working_hours(company_a, at(2026, 3, 2, 9), 9) == at(2026, 3, 2, 18)


def test_working_hours_settings_refuse_values_outside_their_choices(company_a, crm_a):
    with pytest.raises(ValidationError):
        setting_set(company=company_a, key="working_day_start", value="13:00", by=crm_a)
    with pytest.raises(ValidationError):
        setting_set(company=company_a, key="lunch_break_minutes", value=300, by=crm_a)


# --- pauses and durations ------------------------------------------------------------------


def test_the_clock_stops_while_waiting_on_the_owner(company_a):
    start = at(2026, 3, 2, 9)
    waiting = [(at(2026, 3, 2, 10), at(2026, 3, 3, 10))]
    # Monday 9–10, then Tuesday 10–12 and 13–18: 8 hours at Tuesday 18:00.
    deadline = wt.add_working_hours(company_a, start, 8, pauses=waiting)
    assert deadline == at(2026, 3, 3, 18)
    assert wt.working_hours_between(company_a, start, deadline, pauses=waiting) == 8
    # Overlapping, unsorted and empty pauses count once.
    messy = [
        (at(2026, 3, 2, 15), at(2026, 3, 3, 10)),
        (at(2026, 3, 2, 10), at(2026, 3, 2, 16)),
        (at(2026, 3, 2, 11), at(2026, 3, 2, 11)),
    ]
    assert wt.add_working_hours(company_a, start, 8, pauses=messy) == at(2026, 3, 3, 18)


def test_hours_between_over_the_holiday_and_backwards(company_a):
    start, end = at(2026, 2, 13, 9), at(2026, 2, 24, 9)
    assert wt.working_hours_between(company_a, start, end) == 16
    assert wt.working_hours_between(company_a, end, start) == -16  # overdue by 16 hours
    assert wt.working_hours_between(company_a, at(2026, 3, 2, 9), at(2026, 3, 2, 9, 30)) == (
        Decimal("0.5")
    )
    assert wt.working_hours_between(company_a, at(2026, 3, 2, 18), at(2026, 3, 3, 9)) == 0


def test_every_input_terminates_with_a_clear_refusal(company_a):
    start = at(2026, 3, 2, 9)
    with pytest.raises(wt.BeyondCalendar) as refused:
        wt.add_working_hours(company_a, start, 3300)  # more than 400 days of 8 hours
    assert "more than 400 days" in str(refused.value)
    with pytest.raises(wt.BeyondCalendar):
        wt.add_working_hours(company_a, start, 10**12)
    with pytest.raises(wt.BeyondCalendar):
        wt.add_working_hours(company_a, at(9999, 12, 1, 9), 1)
    with pytest.raises(wt.BeyondCalendar):
        wt.working_hours_between(company_a, at(2000, 1, 1), at(2030, 1, 1))
    for bad in (-1, float("nan"), "soon"):
        with pytest.raises(ValueError):
            wt.add_working_hours(company_a, start, bad)
    with pytest.raises(ValueError):
        wt.add_working_hours(company_a, dt.datetime(2026, 3, 2, 9), 1)  # naive


# --- entries of a company and of the group ---------------------------------------------------


def test_a_local_day_off_moves_a_deadline_by_a_day(company_a, company_b, crm_a):
    start = at(2026, 3, 2, 17)  # Monday
    assert wt.add_working_hours(company_a, start, 2) == at(2026, 3, 3, 10)
    day_off(company_a, dt.date(2026, 3, 3), crm_a)
    assert not wt.is_working_day(company_a, dt.date(2026, 3, 3))
    assert wt.add_working_hours(company_a, start, 2) == at(2026, 3, 4, 10)
    assert wt.add_working_hours(company_b, start, 2) == at(2026, 3, 3, 10)  # not theirs


def test_a_local_extra_working_day_counts(company_a, crm_a):
    working_day_add(
        company=company_a, date=dt.date(2026, 3, 7), is_working=True, reason="交付周末", by=crm_a
    )
    assert wt.add_working_hours(company_a, at(2026, 3, 6, 17), 2) == at(2026, 3, 7, 10)


def test_a_group_entry_applies_to_every_company_and_a_company_entry_wins(
    company_a, company_b, group_staff, crm_a
):
    monday = dt.date(2026, 3, 9)
    working_day_add(
        company=None, date=monday, is_working=False, reason="集团活动日", by=group_staff
    )
    assert not wt.is_working_day(company_a, monday) and not wt.is_working_day(company_b, monday)
    working_day_add(company=company_a, date=monday, is_working=True, reason="照常上班", by=crm_a)
    assert wt.is_working_day(company_a, monday) and not wt.is_working_day(company_b, monday)
    day = wt.WorkingCalendar(company_a).day(monday)
    assert (day.source, day.name) == (wt.COMPANY, "照常上班")
    assert wt.WorkingCalendar(company_b).day(monday).source == wt.GROUP


def test_special_days_list_holidays_make_up_days_and_entries(company_a, crm_a):
    day_off(company_a, dt.date(2026, 3, 3), crm_a)
    days = {d.date: d for d in wt.special_days(company_a, 2026)}
    assert days[dt.date(2026, 2, 16)].is_working is False
    assert str(days[dt.date(2026, 2, 16)].name) == "Spring Festival"
    assert days[dt.date(2026, 2, 14)].is_working and days[dt.date(2026, 2, 14)].source == "official"
    local = days[dt.date(2026, 3, 3)]
    assert (local.source, local.name, local.created_by) == ("company", "台风停工", crm_a.name)
    assert local.official.is_working  # a plain Tuesday underneath
    assert dt.date(2026, 3, 4) not in days


# --- cost -------------------------------------------------------------------------------------


def test_one_query_for_any_range_and_none_when_warm(company_a, crm_a, django_assert_num_queries):
    day_off(company_a, dt.date(2026, 3, 3), crm_a)
    wt.WorkingCalendar(company_a).hours()  # the settings, cached on their own
    start, end = at(2025, 1, 1), at(2027, 12, 31)
    with django_assert_num_queries(1):
        hours = wt.working_hours_between(company_a, start, end)
    with django_assert_num_queries(0):
        assert wt.working_hours_between(company_a, start, end) == hours
        wt.add_working_hours(company_a, at(2026, 3, 2, 17), 2)
        assert not wt.is_working_day(company_a, dt.date(2026, 3, 3))
    calendar = wt.WorkingCalendar(company_a)
    with django_assert_num_queries(0):
        for day in range(1, 29):
            calendar.add_working_hours(at(2026, 2, day, 9), 40)


def test_an_edit_reaches_a_warm_cache(company_a, company_b, crm_a, group_staff):
    monday = dt.date(2026, 3, 9)
    assert wt.is_working_day(company_a, monday) and wt.is_working_day(company_b, monday)
    day_off(company_a, monday, crm_a)
    assert not wt.is_working_day(company_a, monday)
    day_off(None, dt.date(2026, 3, 10), group_staff, reason="集团培训")
    assert not wt.is_working_day(company_b, dt.date(2026, 3, 10))
    working_day_remove(entry=WorkingDay.objects.get(company=company_a), by=crm_a)
    assert wt.is_working_day(company_a, monday)


# --- the services' refusals ------------------------------------------------------------------


def test_history_names_who_entered_and_who_removed(
    company_a, crm_a, django_capture_on_commit_callbacks
):
    other = make_staff(Role.COMPANY_CRM, company_a, username="crm_a2")
    with django_capture_on_commit_callbacks(execute=True):
        entry = day_off(company_a, dt.date(2026, 3, 3), crm_a)
        working_day_remove(entry=entry, by=other)
    records = WorkingDay.history.filter(id=entry.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in records] == [("+", crm_a), ("-", other)]
    assert entry.created_by == crm_a
    events = DomainEvent.objects.filter(name=org_events.WORKING_CALENDAR_CHANGED)
    assert [e.payload for e in events] == [{"company_id": company_a.pk, "date": "2026-03-03"}] * 2


def test_who_may_enter_days(company_a, crm_a, crm_b, handler_a, manager_a, group_staff):
    date = dt.date(2026, 3, 3)
    with pytest.raises(OutOfScope):
        day_off(company_a, date, crm_b)
    for user in (handler_a, manager_a):
        with pytest.raises(RoleRequired):
            day_off(company_a, date, user)
    with pytest.raises(RoleRequired):
        day_off(None, date, crm_a)
    assert not WorkingDay.objects.exists()
    entry = day_off(company_a, date, group_staff)
    with pytest.raises(OutOfScope):
        working_day_remove(entry=entry, by=crm_b)
    with pytest.raises(RoleRequired):
        working_day_remove(entry=entry, by=manager_a)
    assert WorkingDay.objects.count() == 1


def test_bad_days_are_refused_on_their_field(company_a, crm_a):
    cases = [
        (dt.date(2024, 12, 31), False, "date", "Choose a day from 2025-01-01 to 2028-12-31."),
        (dt.date(2029, 1, 1), False, "date", "Choose a day from 2025-01-01 to 2028-12-31."),
        (dt.date(2026, 3, 8), False, "is_working", "already a day off (Monday to Friday)"),
        (
            dt.date(2026, 2, 16),
            False,
            "is_working",
            "already a day off (official calendar: Spring Festival)",
        ),
        (dt.date(2026, 3, 2), True, "is_working", "2026-03-02 is already a working day"),
        (dt.date(2026, 2, 14), True, "is_working", "already a working day (official calendar"),
    ]
    for date, is_working, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            working_day_add(
                company=company_a, date=date, is_working=is_working, reason="x", by=crm_a
            )
        assert message in refused.value.message_dict[field][0], date
    day_off(company_a, dt.date(2026, 3, 3), crm_a)
    with pytest.raises(ValidationError) as refused:
        working_day_add(
            company=company_a, date=dt.date(2026, 3, 3), is_working=True, reason="x", by=crm_a
        )
    assert "already has an entry" in refused.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as refused:
        day_off(company_a, dt.date(2026, 3, 4), crm_a, reason="   ")
    assert "reason" in refused.value.message_dict
    assert WorkingDay.objects.count() == 1


def test_a_company_day_off_over_a_group_day_off_changes_nothing(company_a, crm_a, group_staff):
    day_off(None, dt.date(2026, 3, 3), group_staff, reason="集团培训")
    with pytest.raises(ValidationError) as refused:
        day_off(company_a, dt.date(2026, 3, 3), crm_a)
    assert "already a day off (group-wide: 集团培训)" in refused.value.message_dict["is_working"][0]


def test_removing_twice_is_refused(company_a, crm_a):
    entry = day_off(company_a, dt.date(2026, 3, 3), crm_a)
    working_day_remove(entry=entry, by=crm_a)
    with pytest.raises(ValidationError) as refused:
        working_day_remove(entry=entry, by=crm_a)
    assert "already removed" in refused.value.messages[0]
