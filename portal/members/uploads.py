"""Checking the images members upload: images only, a size limit, and no metadata kept.

Every upload is decoded and re-encoded with Pillow. That proves it is an image, drops EXIF (GPS
position, camera serial numbers) and anything hidden after the image data, and turns the photo
the right way up first, because dropping EXIF also drops the orientation flag.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# Larger images are scaled down: a phone photo of a broken paving stone needs no 48 megapixels.
MAX_SIDE = 2400
# Refuse "decompression bombs": small files that unpack into billions of pixels.
MAX_PIXELS = 60_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png", "MPO": "jpg"}


def clean_image(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> ContentFile:
    """A validated, metadata-free copy of an uploaded image, or a ValidationError in Dutch."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_bytes // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            extension = ALLOWED_FORMATS.get(image_format or "")
            if extension is None:
                raise ValidationError(
                    _("Only photos and images (JPEG, PNG, WebP or GIF) can be uploaded."), code="format"
                )
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            output = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            elif extension == "webp":
                image.save(output, "WEBP", quality=85)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(output, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Only photos and images (JPEG, PNG, WebP or GIF) can be uploaded."), code="not_an_image"
        ) from None
    finally:
        upload.seek(0)
    # A fresh random name: the uploaded file name may hold personal data or path tricks.
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
