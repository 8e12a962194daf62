"""Effective lifecycle settings of a company: its own value where it set one, else the
group default; callers can show where the value came from."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GROUP_DEFAULTS = {
    "cancellation_window_days": 3,
    "move_in_lead_days": 60,
    "warranty_years": 2,
}


@dataclass(frozen=True)
class Effective:
    value: int
    source: str  # "group" or "company"

    @property
    def source_label(self):
        return _("company setting") if self.source == "company" else _("group default")


def effective(company, name: str) -> Effective:
    from .models import CompanyPolicy

    policy = CompanyPolicy.objects.filter(company=company).first()
    value = getattr(policy, name, None) if policy else None
    if value is None:
        return Effective(GROUP_DEFAULTS[name], "group")
    return Effective(value, "company")
