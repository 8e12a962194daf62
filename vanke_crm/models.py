"""Abstract bases every app's models share (the project package holds no tables)."""

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_choice_labels: dict = {}


def choice_labels(field) -> dict:
    """A field's choices as {value: label}, translated once per language. Django's own
    get_FOO_display rebuilds that dict (translating every label) on each call: 50 rows
    × 2 fields cost more than the page's query (issue 8 item 10)."""
    key = (id(field), get_language())
    labels = _choice_labels.get(key)
    if labels is None:
        labels = _choice_labels[key] = {
            value: force_str(label, strings_only=True) for value, label in field.flatchoices
        }
    return labels


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
