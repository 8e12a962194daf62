"""Shapes of input of the complaints pages; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Company, Department, Project, Unit
from vanke_crm.forms import QuickSelect

from .models import Case, CaseNote, Category, Task
from .models.categories import Trade

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class IntakeForm(forms.Form):
    """A case as the hotline takes it: the customer chosen by the search, or the
    unknown caller's name and mobile."""

    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    type = forms.ChoiceField(label=_("Type"), choices=Case.Type.choices)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Case.Channel.choices, initial=Case.Channel.HOTLINE
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Case.Severity.choices, initial=Case.Severity.NORMAL
    )
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, widget=forms.HiddenInput
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=64, required=False)
    caller_mobile = forms.CharField(
        label=_("Caller's mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    unit_code = forms.CharField(
        label=_("Unit code"),
        max_length=48,
        required=False,
        help_text=_("For example 3-2-1201; choose the project first."),
    )

    def __init__(self, *args, companies, customers, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        only = list(companies[:2])
        if len(only) == 1:
            self.fields["company"].initial = only[0].pk
            self.fields["company"].widget = forms.HiddenInput()
        self.fields["customer"].queryset = customers
        self.fields["project"].queryset = projects
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True, parent__isnull=False
        ).select_related("parent")

    def clean(self):
        data = super().clean()
        code = (data.get("unit_code") or "").strip()
        data["unit"] = None
        if code:
            project = data.get("project")
            if project is None:
                self.add_error("project", _("Choose the project of the unit."))
            else:
                data["unit"] = Unit.objects.filter(
                    building__project=project, code__iexact=code
                ).first()
                if data["unit"] is None:
                    self.add_error("unit_code", _("No unit with this code in the project."))
        return data


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=64, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    type = forms.ChoiceField(label=_("Type"), required=False, widget=QuickSelect)
    category = CategoryChoice(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    severity = forms.ChoiceField(label=_("Severity"), required=False, widget=QuickSelect)
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=QuickSelect)
    assignee = forms.ModelChoiceField(
        label=_("Case owner"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)
    # Group staff and staff of several companies narrow the queue to one (the
    # supervision page links here); the rows are scoped first, so it never widens.
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    escalation = forms.TypedChoiceField(
        label=_("Escalation"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("All")), *Case.Escalation.choices[1:]],
        widget=QuickSelect,
    )

    def __init__(self, *args, projects, colleagues, companies=None, own_company_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if companies is None:
            # Staff of one company are offered no company filter, but a company in the
            # address is still checked: another company's is refused, not dropped.
            self.fields["company"].widget = forms.HiddenInput()
            self.fields["company"].queryset = Company.objects.filter(pk__in=own_company_ids)
        else:
            self.fields["company"].queryset = companies
        every = [("", _("All"))]
        self.fields["status"].choices = every + list(Case.Status.choices)
        self.fields["type"].choices = every + list(Case.Type.choices)
        self.fields["severity"].choices = every + list(Case.Severity.choices)
        self.fields["channel"].choices = every + list(Case.Channel.choices)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related(
            "parent"
        )
        self.fields["project"].queryset = projects
        self.fields["assignee"].queryset = colleagues
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class BulkAssignForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(label=_("Cases"), queryset=None)
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, cases, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].error_messages["required"] = _("Tick the cases to assign.")
        self.fields["assignee"].queryset = colleagues
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label=_("The answer given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitForm(forms.Form):
    verdict = forms.ChoiceField(label=_("The owner's verdict"), choices=Case.Verdict.choices)
    reason = forms.CharField(
        label=_("What the owner said"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    reason = forms.CharField(
        label=_("Resolution"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


# What each case action asks for on its card (actions not listed ask nothing).
CASE_ACTION_FORMS = {
    "answer": AnswerForm,
    "resolve": ResolveForm,
    "visit": VisitForm,
    "reopen": ReasonForm,
    "cancel": ReasonForm,
    "pause": ReasonForm,
}


class _Recipients(forms.Form):
    """A department and/or a handler of the case's company (the service checks that a
    handler belongs to the department chosen)."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        widget=QuickSelect,  # the dispatch form is on every open case's page
    )
    assignee = forms.ModelChoiceField(
        label=_("Handler"), queryset=None, required=False, widget=QuickSelect
    )
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME)

    def __init__(self, *args, departments, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["assignee"].queryset = handlers
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class DispatchForm(_Recipients):
    """Send a task of the case to a department and/or a handler, with its deadline."""

    trade = forms.ChoiceField(
        label=_("Trade"), choices=[("", "—"), *Trade.choices], required=False, widget=QuickSelect
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(_Recipients):
    """Give a task to another department or handler of the company, with the reason."""

    reason = forms.CharField(
        label=_("Why it is transferred"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SplitPartForm(_Recipients):
    # Not required here: the service refuses a part without its trade, in words.
    trade = forms.ChoiceField(label=_("Trade"), choices=[("", "—"), *Trade.choices], required=False)

    field_order = ["trade", "department", "assignee", "due_at"]


SPLIT_PARTS = 2  # rows offered at first; "add a part" gives one more
SPLIT_MAX_PARTS = len(Trade.choices)
SplitPartFormSet = forms.formset_factory(
    SplitPartForm, extra=0, max_num=SPLIT_MAX_PARTS, absolute_max=SPLIT_MAX_PARTS
)


class SplitForm(forms.Form):
    """A task split into parts, one per trade (the rows of `parts`; a row left blank is
    no part), with the instructions every part is sent with."""

    instructions = forms.CharField(
        label=_("Instructions"),
        max_length=Task._meta.get_field("instructions").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, departments, handlers, rows=SPLIT_PARTS, typed=None, **kw):
        super().__init__(data, **kw)
        options = {"departments": departments, "handlers": handlers}
        if data is not None and typed is None:
            self.parts = SplitPartFormSet(data, prefix="part", form_kwargs=options)
        else:  # the first showing, or the rows typed so far and one more (not checked yet)
            typed = typed or []
            self.parts = SplitPartFormSet(prefix="part", form_kwargs=options)
            self.parts.extra = min(max(rows, len(typed)), SPLIT_MAX_PARTS)
            for part, row in zip(self.parts.forms, typed, strict=False):
                part.initial = row  # shown again, never counted as the initial rows

    def clean(self):
        data = super().clean()
        if not self.parts.is_valid():
            raise forms.ValidationError(_("Check the parts below."))
        data["parts"] = [
            part.cleaned_data
            for part in self.parts.forms
            if part.has_changed() and part.cleaned_data
        ]
        return data


def typed_parts(data) -> list[dict]:
    """The rows of a posted split as they were typed, to show them again with one more."""
    try:
        count = min(int(data.get("part-TOTAL_FORMS", 0)), SPLIT_MAX_PARTS)
    except ValueError:
        count = 0
    names = ("trade", "department", "assignee", "due_at")
    return [{name: data.get(f"part-{i}-{name}", "") for name in names} for i in range(count)]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=CaseNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FinishForm(forms.Form):
    reason = forms.CharField(
        label=_("What was done"),
        max_length=Task._meta.get_field("resolution").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it goes back"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


TASK_ACTION_FORMS = {"finish": FinishForm, "send_back": SendBackForm}


class PhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


# --- the owner's own pages (the portal and the signed return-visit link) -------------


class OwnerVisitForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Were you satisfied with how we handled it?"),
        choices=Case.Verdict.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OwnerEscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the group centre step in?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OwnerCaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    type = forms.ChoiceField(label=_("Type"))
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, units, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: (
            f"{unit.building.project.name} {unit.code}"
        )
        self.fields["type"].choices = [(t.value, t.label) for t in types]
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True, parent__isnull=False
        ).select_related("parent")
