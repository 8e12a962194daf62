"""The base of every staff form: the shell's field markup and a way to put a service's
refusal on the fields it names."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


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


class QuickSelect(forms.Select):
    """A select drawn in Python: the same markup as Django's Select, without rendering
    a template for each option. A list page's filter bar has a hundred options and
    spent more time drawing them than the page spent on its rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts += [
                format_html(
                    '<option value="{}"{}>{}</option>',
                    "" if option["value"] is None else option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            ]
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is format_html's


def add_service_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields of `form` it names (else above
    the fields); any Django form, so pages without a StaffForm use it too."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
