"""Shapes of user input for the staff pages; business rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Project, Unit

from .models import CONSENT_FIELDS, PROFILE_FIELDS, Customer, Ownership, Tag

DATE = forms.DateInput(attrs={"type": "date"})


class VisitForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Sales office (project)"), queryset=Project.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    source = forms.ChoiceField(label=_("How did they hear of us"), choices=Customer.Source.choices)
    needs = forms.CharField(
        label=_("Needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Layout, budget, schools, move-in time …"),
    )
    # Two distinct labels: in Chinese both used to read 同行人员.
    companions = forms.IntegerField(
        label=_("Number of people who came along"), min_value=0, max_value=20, initial=0
    )
    companions_note = forms.CharField(
        label=_("Who they are (names, relation)"), required=False, max_length=200
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.for_user(user).select_related("company")


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [*PROFILE_FIELDS, "tags", *CONSENT_FIELDS]
        widgets = {"birthday": DATE, "needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, company, may_replace_id=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(company=company)
        self.fields["tags"].required = False
        if self.instance.pk and self.instance.id_number:
            # The full number never goes back to the browser, not even to group staff
            # (they see it through the recorded reveal).
            self.initial["id_number"] = ""
            field = self.fields["id_number"]
            if may_replace_id:
                field.help_text = _("An ID number is on file. Leave blank to keep it.")
            else:
                field.disabled = True
                field.help_text = _(
                    "An ID number is on file. Only group customer-relations staff may replace it."
                )

    def _post_clean(self):
        # Validation of mobile/ID/uniqueness is the service's job (one place).
        pass


class OwnershipForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit"), max_length=48, help_text=_("e.g. 3-2-1201"))
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Ownership.Role.choices)
    subscribed_on = forms.DateField(label=_("Subscription date (认购)"), widget=DATE)
    contracted_on = forms.DateField(label=_("Contract date (签约)"), widget=DATE, required=False)
    price = forms.DecimalField(label=_("Price (yuan)"), required=False, min_value=0, max_digits=12)
    delivery_due_on = forms.DateField(label=_("Planned delivery date"), widget=DATE, required=False)
    handover_on = forms.DateField(label=_("Handover date"), widget=DATE, required=False)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(company=company)

    def clean(self):
        data = super().clean()
        project, code = data.get("project"), (data.get("unit_code") or "").strip()
        if project and code:
            unit = Unit.objects.filter(building__project=project, code__iexact=code).first()
            if unit is None:
                self.add_error(
                    "unit_code",
                    _("No unit %(code)s in %(project)s.") % {"code": code, "project": project.name},
                )
            data["unit"] = unit
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Not needed inside the no-questions window; required after it."),
    )


class ContractForm(forms.Form):
    contracted_on = forms.DateField(label=_("Contract date"), widget=DATE)


class HandOverForm(forms.Form):
    handover_on = forms.DateField(label=_("Handover date"), widget=DATE)


# What each ownership action asks for on its card (actions not listed ask nothing).
OWNERSHIP_ACTION_FORMS = {
    "contract": ContractForm,
    "hand_over": HandOverForm,
    "cancel": CancelForm,
}


class RevisitForm(forms.Form):
    note = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}))


class MergeForm(forms.Form):
    other = forms.IntegerField(label=_("Customer number of the duplicate"), min_value=1)


def _shown(customer, field, masked):
    if masked:
        from .validators import mask_id_number

        return mask_id_number(customer.id_number) or "—"
    value = getattr(customer, f"get_{field}_display", lambda: getattr(customer, field))()
    return str(value) if value not in ("", None) else "—"


class MergeChoiceForm(forms.Form):
    """Which record survives and, for each field the two records fill differently,
    whose value it keeps. `fields_compared` come from services.merge.merge_fields (no
    ID numbers for staff who may not reveal them); the service checks the choice."""

    # Not sent: the record whose page it is survives, and keeps its own values.
    survivor = forms.ChoiceField(
        label=_("Record that survives"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, first, second, fields_compared, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {"first": first, "second": second}
        self.fields["survivor"].choices = [
            (key, _("%(name)s (no. %(pk)s)") % {"name": c.name, "pk": c.pk})
            for key, c in self.records.items()
        ]
        self.fields["survivor"].initial = "first"
        self.rows = []  # (label, value of first, value of second, bound field or None)
        for name in PROFILE_FIELDS:
            label = Customer._meta.get_field(name).verbose_name
            masked = name == "id_number"
            compared = name in fields_compared
            a, b = _shown(first, name, masked), _shown(second, name, masked)
            differs = compared and getattr(first, name) != getattr(second, name)
            if differs:
                self.fields[f"value_{name}"] = forms.ChoiceField(
                    label=label,
                    choices=[("first", a), ("second", b)],
                    widget=forms.RadioSelect,
                    required=False,
                )
            self.rows.append(
                {
                    "name": name,
                    "label": label,
                    "first": a,
                    "second": b,
                    "compared": compared,
                    "differs": differs,
                    "field": self[f"value_{name}"] if differs else None,
                }
            )

    def merge_arguments(self) -> dict:
        """source, target and the chosen values, for services.customer_merge."""
        data = self.cleaned_data
        survivor = data["survivor"] or "first"
        target = self.records[survivor]
        source = self.records["second" if survivor == "first" else "first"]
        # Only what was chosen: the service keeps the survivor's other values and fills
        # its blank ones from the merged record.
        values = {
            row["name"]: getattr(self.records[data[f"value_{row['name']}"]], row["name"])
            for row in self.rows
            if row["differs"] and data.get(f"value_{row['name']}")
        }
        return {"source": source, "target": target, "values": values}
