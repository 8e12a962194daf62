"""Shapes of what staff type on the organisation pages. Rules live in the services;
fields are taken from the models so that labels and limits stay in one place."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.phone import normalize_mobile
from vanke_crm.forms import StaffForm, model_field

from . import company_settings
from .models import Company, Department, Role, WorkingDay


class CompanyForm(StaffForm):
    name = model_field(Company, "name")
    code = model_field(Company, "code")
    city = model_field(Company, "city")
    address = model_field(Company, "address")
    hotline = model_field(Company, "hotline")


class CompanyEditForm(CompanyForm):
    is_active = model_field(Company, "is_active")


class DepartmentForm(StaffForm):
    kind = model_field(Department, "kind")
    name = model_field(Department, "name")


class MobileField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a valid mainland China mobile number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        mobile = normalize_mobile(value)
        if mobile is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return mobile


class StaffEditForm(StaffForm):
    name = model_field(User, "name", required=True)
    mobile = MobileField(label=_("Mobile"), required=False)
    email = model_field(User, "email")


class StaffCreateForm(StaffEditForm):
    username = model_field(User, "username")
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text=_("Tell the person privately; they can change it after signing in."),
    )

    field_order = ["username", "name", "mobile", "email", "password"]


class MembershipGrantForm(StaffForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.filter(is_active=True),
        required=False,
        help_text=_("Leave empty for group CRM staff."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("company"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("role") and data["role"] != Role.GROUP_CRM and not data.get("company"):
            self.add_error("company", _("Choose the company for this role."))
        return data


class StaffFilterForm(forms.Form):
    """The staff list's filters; a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.all(),
        required=False,
        empty_label=_("All companies"),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )


class SettingsForm(StaffForm):
    """The registered settings (org.company_settings) as one form: a field per setting,
    blank = inherit (the company follows the group default; the group the declared
    default). Bounds are shown and given to the browser; the service checks them."""

    BOOL_CHOICES = (("yes", _("Yes")), ("no", _("No")))

    def __init__(self, *args, company, **kwargs):
        self.company = company
        self.rows = []
        super().__init__(*args, **kwargs)
        for setting in company_settings.registered():
            editable = company is None or setting.overridable
            own = company_settings.stored_value(company, setting.key) if editable else None
            self.fields[setting.key] = self._field(setting, editable)
            self.initial[setting.key] = self._initial(setting, own)
            self.rows.append(
                {
                    "setting": setting,
                    "editable": editable,
                    "own": own,
                    "effective": company_settings.effective(company, setting.key),
                    "inherited": company_settings.inherited(company, setting.key),
                }
            )
        for row in self.rows:
            row["field"] = self[row["setting"].key]

    def _field(self, setting, editable):
        cs = company_settings
        help_text = " ".join(str(t) for t in (setting.help_text, setting.bounds_text()) if t)
        attrs = {}
        if setting.minimum is not None:
            attrs["min"] = setting.minimum
        if setting.maximum is not None:
            attrs["max"] = setting.maximum
        common = {"label": setting.label, "required": False, "help_text": help_text}
        common["disabled"] = not editable
        if setting.kind == cs.INT:
            return forms.IntegerField(widget=forms.NumberInput(attrs=attrs), **common)
        if setting.kind == cs.DECIMAL:
            attrs["step"] = "any"
            return forms.DecimalField(widget=forms.NumberInput(attrs=attrs), **common)
        if self.company is None:
            inherit = [("", _("Use the declared default"))]
        else:
            inherit = [("", _("Use the group default"))]
        if setting.kind == cs.BOOL:
            return forms.ChoiceField(choices=inherit + list(self.BOOL_CHOICES), **common)
        return forms.ChoiceField(choices=inherit + list(setting.choices), **common)

    @staticmethod
    def _initial(setting, own):
        if own is None:
            return ""
        if isinstance(own, bool):
            return "yes" if own else "no"
        return own

    def changes(self) -> dict:
        """{key: value or None (inherit)} of the editable settings whose value at this
        level changed."""
        changed = {}
        for row in self.rows:
            if not row["editable"]:
                continue
            key = row["setting"].key
            value = self.cleaned_data.get(key)
            if value in ("", None):
                value = None
            elif row["setting"].kind == company_settings.BOOL:
                value = value == "yes"
            if value != row["own"]:
                changed[key] = value
        return changed


class WorkingDayForm(StaffForm):
    """A day of the working calendar that differs from what applies to it. Whether it
    may be entered (range, duplicates, a change at all) is the service's rule."""

    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_working = forms.TypedChoiceField(
        label=_("The day becomes"),
        choices=(("off", _("a day off")), ("working", _("a working day"))),
        coerce=lambda value: value == "working",
        initial="off",
    )
    reason = model_field(
        WorkingDay, "reason", help_text=_("Staff read it on the calendar, e.g. 台风停工.")
    )
