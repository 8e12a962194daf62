"""The complaint category tree, managed by group staff and shared by every company
(DOMAIN §3: 工程质量 → 渗漏/开裂/门窗/水电…, 物业服务, 销售承诺, 配套设施 …)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from vanke_crm.models import TimeStamped


class Trade(models.TextChoices):
    """Who fixes a defect of this kind (the responsible trade)."""

    CIVIL = "civil", _("Civil works")
    WATERPROOFING = "waterproofing", _("Waterproofing")
    WINDOWS = "windows", _("Doors and windows")
    PLUMBING = "plumbing", _("Plumbing")
    ELECTRICAL = "electrical", _("Electrical")
    DECORATION = "decoration", _("Decoration")
    PROPERTY = "property", _("Property services")
    SALES = "sales", _("Sales")
    DESIGN = "design", _("Design")
    OTHER = "other", _("Other")


class Category(TimeStamped):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=64)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    trade = models.CharField(_("trade"), max_length=16, choices=Trade.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical complaint category"),
    )

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_name_unique")
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name
