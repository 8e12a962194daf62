"""Customer master data (DOMAIN §2): one record per person and company, for sales, club
and service; tags; the recorded reveals of an ID number."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Company, Role
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped

from ..querysets import CustomerQuerySet

# Who reads customer data by default (Model.objects.for_user): CRM staff and managers
# of the company, not handlers (they see what is sent to them).
CUSTOMER_READERS = (Role.COMPANY_CRM, Role.MANAGER)
# The customer's master data as staff type it, in the order forms show it: one list for
# the form, the API, the services and the import (the merge and the export use it too).
PROFILE_FIELDS = (
    "name",
    "mobile",
    "id_number",
    "gender",
    "birthday",
    "family_structure",
    "occupation",
    "budget",
    "needs",
    "source",
)
CONSENT_FIELDS = ("marketing_consent", "consent_channel")
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


class Tag(TimeStamped):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=32)

    scope_company_path = "company"
    scope_read_roles = CUSTOMER_READERS
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
    scope_read_roles = CUSTOMER_READERS
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
            # The staff list and the API list: a company's newest first, 50 at a time,
            # read in index order instead of sorting the company (decision 0019).
            models.Index(
                fields=["company", "-created_at", "-id"],
                condition=Q(merged_into__isnull=True),
                name="customer_list_company",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(merged_into__isnull=True),
                name="customer_list_all",
            ),
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
        from ..search import initials_of, pinyin_of

        self.name_pinyin = pinyin_of(self.name)[: NAME_LENGTH * PINYIN_LETTERS]
        self.name_initials = initials_of(self.name)[:NAME_LENGTH]
        self.mobile_tail = self.mobile[-4:] if self.mobile else ""

    @property
    def id_number_masked(self) -> str:
        from ..validators import mask_id_number

        return mask_id_number(self.id_number)


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
