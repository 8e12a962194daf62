"""Organisation: Group → Company → Project → Building → Unit, departments and staff
memberships (one role per membership, per company; group staff have no company)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from vanke_crm.models import TimeStamped

from .querysets import ScopedManager


class Role(models.TextChoices):
    GROUP_CRM = "group_crm", _("Group CRM staff")
    COMPANY_CRM = "company_crm", _("Company CRM staff")
    HANDLER = "handler", _("Handler")
    MANAGER = "manager", _("Manager")


class Group(TimeStamped):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name


class Company(TimeStamped):
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="companies"
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    city = models.CharField(_("city"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hotline = models.CharField(_("service hotline"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical company")
    )
    scope_company_path = "pk"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Project(TimeStamped):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical project")
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["company__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="project_name_per_company")
        ]

    def __str__(self):
        return self.name


class Building(TimeStamped):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="buildings"
    )
    number = models.CharField(_("building number"), max_length=16)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)

    scope_company_path = "project__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="building_number_unique")
        ]

    def __str__(self):
        return _("%(project)s building %(number)s") % {
            "project": self.project.name,
            "number": self.number,
        }


class Unit(TimeStamped):
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units"
    )
    entrance = models.CharField(_("entrance"), max_length=8, default="1")
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("room number"), max_length=16)
    # "3-2-1201": building 3, entrance 2, room 1201 — what staff and owners type.
    code = models.CharField(_("unit code"), max_length=48, db_index=True)
    layout = models.CharField(_("layout"), max_length=32, blank=True)
    area = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=2, null=True)

    scope_company_path = "building__project__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "entrance", "floor", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "number"], name="unit_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.building.project.name} {self.code}"

    @staticmethod
    def make_code(building_number, entrance, number) -> str:
        return f"{building_number}-{entrance}-{number}"


class Department(TimeStamped):
    class Kind(models.TextChoices):
        CRM = "crm", _("Customer relations")
        ENGINEERING = "engineering", _("Engineering")
        PROPERTY = "property", _("Property management")
        SALES = "sales", _("Sales")
        DESIGN = "design", _("Design")
        CONTRACTOR = "contractor", _("Contractor")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical department"),
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["company", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="department_name_unique")
        ]

    def __str__(self):
        return f"{self.company.name} · {self.name}"


class Membership(TimeStamped):
    """A staff member's role in one company (group CRM staff: no company)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical membership"),
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company", "role"],
                condition=Q(company__isnull=False),
                name="membership_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(company__isnull=True),
                name="membership_group_unique",
            ),
            models.CheckConstraint(
                condition=Q(role="group_crm", company__isnull=True)
                | (~Q(role="group_crm") & Q(company__isnull=False)),
                name="membership_company_matches_role",
            ),
        ]

    def __str__(self):
        where = self.company.name if self.company_id else _("Group")
        return f"{self.user} · {where} · {self.get_role_display()}"


class CompanySetting(TimeStamped):
    """A stored value of a registered setting (org.company_settings): a company's own
    value, or with no company the group's default, which overrides the value the
    registering app declared. The registry checks type and bounds before a row is
    written; the value is JSON (numbers, true/false, a choice's code; decimals as
    text)."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="settings",
        null=True,
        blank=True,
    )
    key = models.CharField(_("setting"), max_length=64)
    value = models.JSONField(_("value"))

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical setting")
    )

    class Meta:
        verbose_name = _("company setting")
        verbose_name_plural = _("company settings")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "key"],
                condition=Q(company__isnull=False),
                name="company_setting_unique",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(company__isnull=True), name="group_setting_unique"
            ),
        ]

    def __str__(self):
        where = self.company.name if self.company_id else _("Group")
        return f"{where} · {self.key}"


class WorkingDay(TimeStamped):
    """A day that differs from the official calendar (docs/decisions/0023): a local day
    off (a typhoon, a company holiday) or a local extra working day. With no company it
    is the group's entry for every company (e.g. the next year's holidays entered before
    the package that knows them is released); a company's own entry overrides the group's,
    and both override the official calendar. Official holidays and make-up working days
    are not stored: they come from the chinese-calendar package when asked."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="working_days",
        null=True,
        blank=True,
    )
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical working calendar entry"),
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("working calendar entry")
        verbose_name_plural = _("working calendar entries")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "date"],
                condition=Q(company__isnull=False),
                name="working_day_unique",
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(company__isnull=True), name="group_working_day_unique"
            ),
        ]

    def __str__(self):
        where = self.company.name if self.company_id else _("Group")
        return f"{where} · {self.date.isoformat()}"
