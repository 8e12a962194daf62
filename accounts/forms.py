"""Shapes of what people type on the sign-in pages; the rules live in services."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from .phone import normalize_mobile, sign_in_name


class MobileField(forms.CharField):
    """A mainland mobile number in any usual spelling, cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": "138 1234 5678",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        mobile = normalize_mobile(value)
        if not mobile:
            raise ValidationError(
                _("Enter a valid mainland China mobile number, e.g. 138 1234 5678."),
                code="invalid_mobile",
            )
        return mobile


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Verification code"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^\d{6}$", _("The code has 6 digits."), code="code_format")],
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "pattern": r"\d{6}",
                    "placeholder": "123456",
                }
            ),
        )
        super().__init__(**kwargs)


class StaffAuthenticationForm(AuthenticationForm):
    """Username or mobile + password. Owners are sent to their own sign-in page."""

    error_messages = {
        "invalid_login": _(
            "The username or mobile number and the password do not match. Please try again."
        ),
        "inactive": _("This account is disabled. Please contact group customer relations."),
        "owner_account": _(
            "This is the staff sign-in. Owners please use the owner sign-in with their "
            "mobile number."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username or mobile number")
        # AuthenticationForm sets max_length after the field was made: no check yet.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].label = _("Password")

    def clean_username(self):
        return sign_in_name(self.cleaned_data["username"])

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_owner:
            raise ValidationError(self.error_messages["owner_account"], code="owner_account")


class MobileForm(forms.Form):
    mobile = MobileField()


class OwnerRegisterForm(forms.Form):
    code = CodeField()
    name = forms.CharField(label=_("Your name"), max_length=64)
    password1 = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Without a password you sign in with a code sent by SMS."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first or second:
            if first != second:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(first)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned


class OwnerCodeLoginForm(forms.Form):
    """One form, two buttons: "send code" needs the mobile, "sign in" also the code."""

    mobile = MobileField()
    code = CodeField(required=False)

    def __init__(self, *args, action="login", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        if self.action == "login" and not cleaned.get("code") and "code" not in self.errors:
            self.add_error("code", _("Enter the 6-digit code we sent you."))
        return cleaned


class OwnerPasswordLoginForm(forms.Form):
    mobile = MobileField()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
