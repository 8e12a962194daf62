"""Shapes of what staff type on the disclosure pages (risk items, construction
milestones). Rules (distance within 1 km outside the site …) live in
customers.services.disclosure; fields come from the models so labels stay in one place."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from vanke_crm.forms import StaffForm, model_field

from .models import ProgressMilestone, RiskItem

MAX_PICTURE_BYTES = 5 * 1024 * 1024
# The stored name: room left for the storage's "_abc1234" suffix on a name of 255 bytes.
MAX_NAME_BYTES = 120
PICTURE_FORMATS = {"JPEG", "PNG", "WEBP"}
PICTURE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
NOT_A_PICTURE = _("Please choose a picture file (JPEG, PNG or WebP).")


class PictureField(forms.ImageField):
    """An optional photo: JPEG, PNG or WebP of at most 5 MB, checked by opening it."""

    default_error_messages = {"invalid_image": NOT_A_PICTURE}
    default_validators = [
        FileExtensionValidator(PICTURE_EXTENSIONS, message=NOT_A_PICTURE, code="invalid_image")
    ]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("JPEG, PNG or WebP, at most 5 MB."))
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        # Refuse a big file before Pillow reads it.
        if data and getattr(data, "size", 0) > MAX_PICTURE_BYTES:
            raise ValidationError(
                _("The picture is %(size)s; the limit is 5 MB. Please choose a smaller one."),
                code="file_too_big",
                params={"size": filesizeformat(data.size)},
            )
        value = super().to_python(data)
        image = getattr(value, "image", None)
        if image is not None and image.format not in PICTURE_FORMATS:
            raise ValidationError(NOT_A_PICTURE, code="invalid_image")
        if value is not None:
            value.name = short_file_name(value.name)
        return value


def short_file_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """The uploaded name, its stem shortened to at most `max_bytes` in UTF-8 with the
    extension kept: a file system takes 255 bytes a name, which a long Chinese name
    (three or four bytes a character) exceeds long before the column's 100 characters."""
    stem, extension = os.path.splitext(name)
    while stem and len((stem + extension).encode()) > max_bytes:
        stem = stem[:-1]
    return (stem or "picture") + extension[:16]


def _with_upload(cleaned: dict, name: str) -> dict:
    """ClearableFileInput gives a new upload (replace), False (clear) or the current
    file / None (keep); the services take `name=<upload or None>` and `clear_<name>`."""
    data = dict(cleaned)
    value = data.pop(name, None)
    data[name] = value if isinstance(value, UploadedFile) else None
    data[f"clear_{name}"] = value is False
    return data


class RiskItemForm(StaffForm):
    kind = model_field(RiskItem, "kind")
    inside_site = model_field(
        RiskItem,
        "inside_site",
        help_text=_("Tick for a factor inside the red line; the distance is then optional."),
    )
    title = model_field(RiskItem, "title")
    distance_m = forms.IntegerField(
        label=capfirst(RiskItem._meta.get_field("distance_m").verbose_name),
        required=False,
        min_value=0,
        help_text=_("Straight-line distance from the site boundary; required outside the site."),
    )
    description = model_field(RiskItem, "description", widget=forms.Textarea(attrs={"rows": 4}))
    picture = PictureField(label=capfirst(RiskItem._meta.get_field("picture").verbose_name))

    def service_kwargs(self) -> dict:
        return _with_upload(self.cleaned_data, "picture")

    @staticmethod
    def initial_for(item) -> dict:
        names = ("kind", "inside_site", "title", "distance_m", "description", "picture")
        return {name: getattr(item, name) for name in names}


class MilestoneForm(StaffForm):
    date = model_field(
        ProgressMilestone, "date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = model_field(ProgressMilestone, "title")
    percent = forms.IntegerField(
        label=capfirst(ProgressMilestone._meta.get_field("percent").verbose_name),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage from 0 to 100."),
            "max_value": _("Progress is a percentage from 0 to 100."),
        },
    )
    description = model_field(
        ProgressMilestone, "description", widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = PictureField(label=capfirst(ProgressMilestone._meta.get_field("photo").verbose_name))

    def service_kwargs(self) -> dict:
        return _with_upload(self.cleaned_data, "photo")

    @staticmethod
    def initial_for(milestone) -> dict:
        names = ("date", "title", "percent", "description", "photo")
        return {name: getattr(milestone, name) for name in names}
