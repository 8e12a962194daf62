"""Deadlines of a case in working hours on its company's calendar (org.working_time),
with the times of the settings registry (complaints/sla_settings.py)."""

from org import company_settings, working_time

from .. import sla_settings


def hours_for(case) -> tuple[int, int]:
    """(respond within, resolve within) in working hours for this case's company."""
    respond = company_settings.effective(
        case.company_id, sla_settings.response_key(case.type, case.severity)
    ).value
    resolve = company_settings.effective(
        case.company_id, sla_settings.resolution_key(case.type, case.severity)
    ).value
    return int(respond), int(resolve)


def set_deadlines(case, *, start) -> None:
    """Set the response and resolution deadlines from `start` (the intake time), the
    clock stopped during the case's pauses."""
    respond, resolve = hours_for(case)
    pauses = case.pause_intervals()
    case.response_due_at = working_time.add_working_hours(
        case.company, start, respond, pauses=pauses
    )
    case.resolve_due_at = working_time.add_working_hours(
        case.company, start, resolve, pauses=pauses
    )


def restart_resolution(case, *, start) -> None:
    """A reopened case is given its resolution time again, from `start`: a new
    deadline, and a new near-breach warning before it (the escalations already made
    stay made: each level happens once per case)."""
    _respond, resolve = hours_for(case)
    case.clock_from = start
    case.resolve_due_at = working_time.add_working_hours(
        case.company, start, resolve, pauses=case.pause_intervals()
    )
    case.warned_at = None


def visit_due(case, *, start):
    days = int(company_settings.effective(case.company_id, sla_settings.VISIT_DAYS).value)
    return working_time.add_working_hours(case.company, start, days * _day_hours(case))


def _day_hours(case) -> float:
    """The working hours of one of the company's working days."""
    start, lunch_start, lunch_end, end = working_time.WorkingCalendar(case.company).hours()
    return ((end - start) - (lunch_end - lunch_start)) / 60
