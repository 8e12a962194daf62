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
        """Put a service's ValidationError on the fields it names (else on the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, error)
        else:
            self.add_error(None, exc)
