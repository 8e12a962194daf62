"""Public project pages: risk disclosure (一公里公示) and construction progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Project
from org.querysets import ScopedManager
from vanke_crm.models import TimeStamped


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
