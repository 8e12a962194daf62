"""The base of every staff form: the shell's field markup and a way to put a service's
refusal on the fields it names."""

from django import forms
from django.core.exceptions import ValidationError


def model_field(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


class StaffForm(forms.Form):
    """Base form rendered with the shell's field markup (shell/_form.html)."""

    template_name = "shell/_form.html"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_error(self, exc: ValidationError) -> None:
        add_service_error(self, exc)


def add_service_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields of `form` it names (else above
    the fields); any Django form, so pages without a StaffForm use it too."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
