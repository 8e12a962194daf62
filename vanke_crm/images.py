"""Uploaded photos, made safe to store and show (complaints, the public forum): the
file is opened by its content (not its name), refused above a size or a pixel count
(a decompression bomb), re-encoded — which drops EXIF and any other metadata, GPS
included — and stored under a random name."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused before decoding
LONG_SIDE = 2560  # stored photos are scaled down to this
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_photo(upload) -> ContentFile:
    """A ContentFile of the re-encoded picture named `<random>.<ext>`, or a
    ValidationError (under "photo") saying what is wrong, in the user's language."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            {
                "photo": _("The photo is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)}
            }
        )
    not_a_photo = ValidationError({"photo": _("Please choose a photo (JPEG, PNG or WebP).")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise not_a_photo
            if width * height > MAX_PIXELS:
                raise ValidationError({"photo": _("The photo has too many pixels.")})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # keep it upright, then drop the EXIF
            image.thumbnail((LONG_SIDE, LONG_SIDE))
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=kind, **({"quality": 85} if kind != "PNG" else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[kind]}")
