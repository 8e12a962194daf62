"""Customer master data (DOMAIN §2), ownership, visits, the 6+2 lifecycle and the
public project pages. One customer record serves sales, club and service."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Company, Project, TimeStamped, Unit
from org.querysets import ScopedManager

from .querysets import CustomerQuerySet

NAME_LENGTH = 64
PINYIN_LETTERS = 6  # the longest syllable: zhuang, shuang, chuang


class LifecycleStep(models.TextChoices):
    """The 6+2 service steps (DOMAIN §7); +2 (四年之约) is a recurring revisit task."""

    VIEWING = "1_viewing", _("1 · Viewing (温馨牵手)")
    SIGNING = "2_signing", _("2 · Signing (喜结连理)")
    WAITING = "3_waiting", _("3 · Waiting for delivery (亲密接触)")
    MOVE_IN = "4_move_in", _("4 · Move-in (恭迎乔迁)")
    FIRST_MONTHS = "5_first_months", _("5 · First months (嘘寒问暖)")
    AFTER_FIRST_YEAR = "6_after_first_year", _("6 · After the first year (承担责任)")
    AFTER_WARRANTY = "7_after_warranty", _("+1 · After the warranty (一路同行)")


class CompanyPolicy(TimeStamped):
    """A company's overrides of the group defaults for the customer lifecycle; a blank
    field means "use the group default" (customers.policy shows the effective value
    and where it came from)."""

    company = models.OneToOneField(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="customer_policy"
    )
    cancellation_window_days = models.PositiveSmallIntegerField(
        _("no-questions cancellation window (days)"), null=True, blank=True
    )
    move_in_lead_days = models.PositiveSmallIntegerField(
        _("move-in step starts (days before delivery)"), null=True, blank=True
    )
    warranty_years = models.PositiveSmallIntegerField(
        _("general warranty (years)"), null=True, blank=True
    )

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical policy")
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("customer policy")
        verbose_name_plural = _("customer policies")

    def __str__(self):
        return str(self.company)


class Tag(TimeStamped):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=32)

    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="tag_unique")]

    def __str__(self):
        return self.name


class Customer(TimeStamped):
    class Kind(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        OWNER = "owner", _("Owner")
        CO_OWNER = "co_owner", _("Co-owner")
        FORMER_OWNER = "former_owner", _("Former owner")

    class Gender(models.TextChoices):
        UNKNOWN = "", _("Not given")
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Source(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        REFERRAL = "referral", _("Owner referral")
        ONLINE = "online", _("Online")
        HOTLINE = "hotline", _("Hotline")
        EVENT = "event", _("Event")
        AGENT = "agent", _("Agent")
        IMPORT = "import", _("Import")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="customers"
    )
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    # Derived fields are sized from their source: a syllable is at most six letters
    # (zhuang), a character's initial one letter, and text that is not Chinese is kept.
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=NAME_LENGTH * PINYIN_LETTERS, blank=True, editable=False
    )
    name_initials = models.CharField(
        _("initials"), max_length=NAME_LENGTH, blank=True, editable=False
    )
    mobile = models.CharField(_("mobile"), max_length=20)
    mobile_tail = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    family_structure = models.CharField(_("family structure"), max_length=64, blank=True)
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    budget = models.CharField(_("budget"), max_length=64, blank=True)
    needs = models.TextField(_("needs and preferences"), blank=True)
    source = models.CharField(
        _("source channel"), max_length=16, choices=Source.choices, default=Source.WALK_IN
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROSPECT)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_channel = models.CharField(_("consent channel"), max_length=32, blank=True)
    # Derived from the customer's data by services.customer_refresh_step (kept in sync).
    step = models.CharField(
        _("6+2 step"),
        max_length=24,
        choices=LifecycleStep.choices,
        default=LifecycleStep.VIEWING,
        db_index=True,
    )
    # One person may be a customer of several companies: one account, several records.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_records",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
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
        excluded_fields=["updated_at", "name_pinyin", "name_initials", "mobile_tail"],
        m2m_fields=[tags],
        verbose_name=_("historical customer"),
    )
    scope_company_path = "company"
    objects = models.Manager.from_queryset(CustomerQuerySet)()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "mobile"],
                condition=Q(merged_into__isnull=True),
                name="customer_mobile_unique_per_company",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "step"]),
            models.Index(fields=["name_pinyin"]),
            models.Index(fields=["name_initials"]),
            models.Index(fields=["id_number"]),
            models.Index(fields=["mobile"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        """Derived search fields stay in sync with their own row. They are cut to their
        column deliberately: lower-casing may lengthen text that is not Chinese ("İ" is
        two characters in lower case), and a search matches their beginning anyway."""
        from .search import initials_of, pinyin_of

        self.name_pinyin = pinyin_of(self.name)[: NAME_LENGTH * PINYIN_LETTERS]
        self.name_initials = initials_of(self.name)[:NAME_LENGTH]
        self.mobile_tail = self.mobile[-4:] if self.mobile else ""

    @property
    def id_number_masked(self) -> str:
        from .validators import mask_id_number

        return mask_id_number(self.id_number)


class Ownership(TimeStamped):
    """Customer ↔ unit. Ending an ownership (cancellation, transfer) keeps the row:
    a unit's ownership history is the list of its rows."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        CO_OWNER = "co_owner", _("Co-owner")

    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", _("Subscribed (认购)")
        CONTRACTED = "contracted", _("Contracted (签约)")
        HANDED_OVER = "handed_over", _("Handed over")
        CANCEL_PENDING = "cancel_pending", _("Cancellation awaiting approval")
        CANCELLED = "cancelled", _("Cancelled")
        TRANSFERRED = "transferred", _("Transferred")

    ACTIVE = (Status.SUBSCRIBED, Status.CONTRACTED, Status.HANDED_OVER, Status.CANCEL_PENDING)

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ownerships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ownerships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OWNER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBSCRIBED
    )
    subscribed_on = models.DateField(_("subscription date"))
    contracted_on = models.DateField(_("contract date"), null=True, blank=True)
    price = models.DecimalField(
        _("price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    delivery_due_on = models.DateField(_("planned delivery date"), null=True, blank=True)
    handover_on = models.DateField(_("handover date"), null=True, blank=True)
    warranty_start_on = models.DateField(_("warranty start"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    cancel_requested_at = models.DateTimeField(
        _("cancellation requested at"), null=True, blank=True
    )
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancellation requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancellation decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical ownership"),
    )
    scope_company_path = "customer__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["-subscribed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_on__isnull=True)
                | Q(contracted_on__gte=models.F("subscribed_on")),
                name="ownership_contract_after_subscription",
            ),
            models.CheckConstraint(
                condition=Q(handover_on__isnull=True)
                | (Q(contracted_on__isnull=False) & Q(handover_on__gte=models.F("contracted_on"))),
                name="ownership_handover_after_contract",
            ),
            # A unit has one active owner (co-owners beside them), even under races.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(
                    role="owner",
                    status__in=["subscribed", "contracted", "handed_over", "cancel_pending"],
                ),
                name="one_active_owner_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.customer} · {self.unit.code}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Visit(TimeStamped):
    """来访登记: a visit at a sales office (or a revisit by staff)."""

    class Kind(models.TextChoices):
        SALES_OFFICE = "sales_office", _("Sales-office visit")
        REVISIT = "revisit", _("Four-year revisit (四年之约)")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.SALES_OFFICE
    )
    visited_at = models.DateTimeField(_("visited at"))
    source = models.CharField(
        _("source channel"), max_length=16, choices=Customer.Source.choices, blank=True
    )
    needs = models.TextField(_("needs"), blank=True)
    companions = models.PositiveSmallIntegerField(_("accompanying people"), default=0)
    companions_note = models.CharField(_("who came along"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_first = models.BooleanField(_("first visit"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    scope_company_path = "customer__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]

    def __str__(self):
        return f"{self.customer} @ {self.project} {self.visited_at:%Y-%m-%d}"


class WorkPoint(TimeStamped):
    """A 6+2 work point (checklist item). Group defaults have no company; a company
    may add its own. Deactivating hides it from new checklists."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_points",
    )
    step = models.CharField(_("6+2 step"), max_length=24, choices=LifecycleStep.choices)
    code = models.SlugField(_("code"), max_length=48)
    label = models.CharField(_("work point"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("work point")
        verbose_name_plural = _("work points")
        ordering = ["step", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="workpoint_code_unique_per_company"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(company__isnull=True), name="workpoint_code_group"
            ),
        ]

    def __str__(self):
        return self.label


class WorkPointCheck(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="checks"
    )
    work_point = models.ForeignKey(
        WorkPoint, verbose_name=_("work point"), on_delete=models.PROTECT, related_name="checks"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(
        get_user=history_user, verbose_name=_("historical work point check")
    )
    scope_company_path = "customer__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("work point check")
        verbose_name_plural = _("work point checks")
        constraints = [
            models.UniqueConstraint(fields=["customer", "work_point"], name="workpoint_check_once")
        ]

    def __str__(self):
        return f"{self.customer} ✓ {self.work_point}"


class RevisitTask(TimeStamped):
    """四年之约: one revisit per ownership every four years from handover."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="revisits"
    )
    ownership = models.ForeignKey(
        Ownership, verbose_name=_("ownership"), on_delete=models.CASCADE, related_name="revisits"
    )
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), help_text=_("1 = four years after handover")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisit_task",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical revisit task"),
    )
    scope_company_path = "customer__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("four-year revisit")
        verbose_name_plural = _("four-year revisits")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["ownership", "cycle"], name="revisit_once_per_cycle")
        ]

    def __str__(self):
        return f"{self.customer} · {self.due_on}"


class Segment(TimeStamped):
    """A saved filter over customers (targets for surveys, events and notices)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords(
        get_user=history_user, excluded_fields=["updated_at"], verbose_name=_("historical segment")
    )
    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="segment_unique")]

    def __str__(self):
        return self.name


class RiskItem(TimeStamped):
    """风险提示 / 一公里公示: an adverse factor within 1 km or inside the site."""

    class Kind(models.TextChoices):
        SUBSTATION = "substation", _("Substation / high-voltage line")
        ROAD = "road", _("Elevated road / highway / railway")
        WASTE = "waste", _("Waste station / sewage plant")
        INDUSTRY = "industry", _("Factory / pollution source")
        CEMETERY = "cemetery", _("Cemetery / funeral home")
        PLANNED = "planned", _("Planned construction")
        NOISE = "noise", _("Noise source (bar, market, school)")
        INSIDE = "inside", _("Inside the site (红线内)")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="risk_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    inside_site = models.BooleanField(_("inside the site (红线内)"), default=False)
    title = models.CharField(_("title"), max_length=100)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    description = models.TextField(_("description"))
    picture = models.ImageField(_("picture"), upload_to="risk/%Y/%m/", blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords(get_user=history_user, verbose_name=_("historical risk item"))
    scope_company_path = "project__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("risk disclosure item")
        verbose_name_plural = _("risk disclosure items")
        ordering = ["inside_site", "distance_m", "pk"]

    def __str__(self):
        return self.title


class ProgressMilestone(TimeStamped):
    """工程进度公示: a dated construction milestone for buyers waiting for delivery."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    photo = models.ImageField(_("photo"), upload_to="progress/%Y/%m/", blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    history = HistoricalRecords(get_user=history_user, verbose_name=_("historical milestone"))
    scope_company_path = "project__company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("construction milestone")
        verbose_name_plural = _("construction milestones")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="milestone_percent_max_100")
        ]

    def __str__(self):
        return f"{self.project} {self.date} {self.percent}%"


class IdReveal(models.Model):
    """Audit of every time a full ID number was shown to someone."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="id_reveals"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revealed to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("revealed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ID number reveal")
        verbose_name_plural = _("ID number reveals")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.customer} → {self.by} @ {self.at:%Y-%m-%d %H:%M}"


def import_file_path(batch, filename) -> str:
    """Where an uploaded customer file is stored: a random name under imports/, which
    is never served over HTTP (vanke_crm.media registers no check for it)."""
    extension = ".csv" if (filename or "").lower().endswith(".csv") else ".xlsx"
    return f"imports/{secrets.token_hex(16)}{extension}"


class ImportBatch(TimeStamped):
    """One uploaded customer file: stored by the request, read and checked by the
    worker (dry run, nothing written), imported as a whole on confirmation. Keeps the
    parsed rows so the confirmation imports exactly what was checked."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        REFUSED = "refused", _("Refused")
        DRY_RUN = "dry_run", _("Checked, not imported")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # The upload as stored for the worker; the person's own file name is file_name.
    file = models.FileField(_("stored file"), upload_to=import_file_path, blank=True)
    # The language the uploader used: the worker writes the messages in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    # Why the file as a whole was refused (a limit, unreadable, no rows, columns).
    refusal = models.TextField(_("refusal"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRY_RUN
    )
    # {field: {"header": as typed in the file, "letter": "B"}}
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    # [{"row": 2, "cells": {field: value}}] — row numbers as Excel shows them.
    rows = models.JSONField(_("parsed rows"), default=list, blank=True)
    # [{"row": 2, "column": "手机", "letter": "B", "message": "…"}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    ownership_count = models.PositiveIntegerField(_("ownerships"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # Who confirmed a queued import, and how often the sweep had to queue it again.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    queue_attempts = models.PositiveSmallIntegerField(_("queue attempts"), default=0)

    scope_company_path = "company"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("customer import")
        verbose_name_plural = _("customer imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.DRY_RUN and not self.errors and self.row_count > 0
