"""People who sign in: staff (username or mobile + password) and owners (mobile + code)."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.acting import history_user


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        OWNER = "owner", _("Owner")

    name = models.CharField(_("full name"), max_length=64, blank=True)
    mobile = models.CharField(
        _("mobile"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mainland mobile number, stored as +86…"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.STAFF)
    # Owners are linked to their customer record by the customers app (by mobile).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["password", "last_login", "updated_at"],
        verbose_name=_("historical user"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def is_owner(self) -> bool:
        return self.kind == self.Kind.OWNER

    @cached_property
    def scope(self):
        """What this user may see: computed once per request (see org.scoping)."""
        from org.scoping import Scope

        return Scope.for_user(self)


def hash_code(mobile: str, code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{mobile}:{code}".encode()).hexdigest()


class OneTimeCode(models.Model):
    """A code sent by SMS to prove a mobile number; stored hashed, single use."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Sign-in")

    mobile = models.CharField(_("mobile"), max_length=20, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"])]

    def __str__(self):
        return f"{self.mobile} ({self.purpose})"

    @staticmethod
    def generate() -> str:
        return f"{secrets.randbelow(1_000_000):06d}"

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None
            and self.expires_at > timezone.now()
            and self.attempts < settings.OTP_MAX_ATTEMPTS
        )
