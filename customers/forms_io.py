"""Shapes of the import upload and the segment form. Rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Company
from vanke_crm.forms import StaffForm

from .filters import CustomerFilter
from .importing import MAX_BYTES
from .services.segments import FILTER_KEYS, crm_companies


def company_field(user) -> forms.ModelChoiceField:
    """The companies the user works with are offered; any company is accepted here so
    that the service answers another company with 404, like every other page."""
    companies = list(crm_companies(user).order_by("code"))
    field = forms.ModelChoiceField(
        label=_("Company"), queryset=Company.objects.all(), empty_label=None
    )
    if len(companies) == 1:
        field.widget = forms.HiddenInput()
        field.initial = companies[0].pk
    else:
        field.widget.choices = [(c.pk, c.name) for c in companies]
    return field


class ImportForm(StaffForm):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        # Formatted per request in __init__: "%" here would freeze one language at import.
        help_text=_("At most %(mb)s MB. The first sheet is read; row 1 holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"company": company_field(user), **self.fields}
        self.fields["file"].help_text = str(self.fields["file"].help_text) % {
            "mb": MAX_BYTES // 1024 // 1024
        }


class SegmentForm(StaffForm):
    """Name (and company, when creating) plus every CustomerFilter field."""

    name = forms.CharField(label=_("Segment name"), max_length=100)

    def __init__(self, *args, user, request=None, with_company=True, **kwargs):
        super().__init__(*args, **kwargs)
        filter_form = CustomerFilter(request=request, queryset=None).form
        if with_company:
            self.fields = {"company": company_field(user), **self.fields}
        for key in FILTER_KEYS:
            field = filter_form.fields[key]
            field.required = False
            if key in ("step", "kind"):
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            self.fields[key] = field

    def filters(self) -> dict:
        """The cleaned filter values as the service takes them (pks for objects)."""
        values = {}
        for key in FILTER_KEYS:
            value = self.cleaned_data.get(key)
            if key == "project" and value is not None:
                value = value.pk
            elif key == "tags":
                value = [tag.pk for tag in value or []]
            values[key] = value
        return values
