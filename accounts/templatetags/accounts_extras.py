from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(value) -> int:
    """A timedelta as whole minutes, rounded up (15 min → 15, 30 s → 1)."""
    if not isinstance(value, timedelta):
        return 0
    seconds = max(0, int(value.total_seconds()))
    return (seconds + 59) // 60
