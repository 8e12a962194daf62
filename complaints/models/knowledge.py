"""The knowledge base (DOMAIN §3): typical problems with the standard answer given to
the owner and the steps that resolve them, shared by every company and written by the
group's customer-relations centre (decision 0027)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user
from org.models import Role
from vanke_crm.models import TimeStamped

from .categories import Category


class ArticleQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every staff member reads the published articles; group CRM staff (who write
        them) read the drafts too. Articles belong to no company: nothing to narrow."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = user.scope
        if Role.GROUP_CRM in scope.roles or user.is_superuser:
            return self
        if not scope.is_staff_member:
            return self.none()
        return self.filter(is_published=True)

    def published(self):
        return self.filter(is_published=True)


class Article(TimeStamped):
    title = models.CharField(_("title"), max_length=120)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    problem = models.TextField(_("typical problem"), max_length=4000)
    answer = models.TextField(
        _("standard answer"),
        max_length=4000,
        help_text=_("What staff tell the owner, ready to be used as the reply."),
    )
    steps = models.TextField(
        _("resolution steps"),
        max_length=4000,
        blank=True,
        help_text=_("How the problem is fixed, one step a line."),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=200,
        blank=True,
        help_text=_("Words owners use for this problem, separated by spaces or commas."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_written",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_edited",
    )

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["updated_at"],
        verbose_name=_("historical knowledge article"),
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["category", "is_published"], name="article_category"),
        ]

    def __str__(self):
        return self.title

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]
