"""Photos of a request, stored here: checked, re-encoded and thumbnailed.

An upload is trusted for nothing: its size is checked against the limit, its type by decoding it
with Pillow (a PDF renamed `.jpg` is refused), and what is stored is a fresh JPEG re-encoded from
the pixels, turned upright by its EXIF orientation, so no EXIF (the phone's GPS position, its
serial number) ever reaches a page. Decoding and encoding happen before any transaction: on
SQLite, what runs inside one holds up every other writer. `photo_place_read` reads where a photo
was taken (its EXIF GPS) so a form can offer to place the request there, and keeps nothing.
"""

import io
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Attachment, ServiceRequest

PHOTOS_PER_REQUEST = 3
# What Pillow reads that a phone or a camera sends; anything else is refused.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
# Larger than any phone camera; refused before decoding, so a small file claiming a huge image
# (a decompression bomb) costs nothing.
MAX_PIXELS = 50_000_000
# The stored photo's longest side: a full phone picture, without the camera's 50 MP.
PHOTO_MAX_SIDE = 2560
THUMBNAIL_MAX_SIDE = 400
JPEG_QUALITY = 85
CONTENT_TYPE = "image/jpeg"


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked upload, re-encoded, ready to be stored with a request."""

    photo: bytes
    thumbnail: bytes
    width: int
    height: int


def _refuse(name: str) -> InvalidInput:
    return InvalidInput(
        f"{name!r} is not a photo: send a JPEG, PNG, WebP or GIF image", field="photo"
    )


def _flattened(image: Image.Image) -> Image.Image:
    """The image in RGB, transparent parts on white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    # Nothing but pixels is written: no exif, icc_profile or comment is passed to the encoder.
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _size_check(upload: UploadedFile, name: str) -> None:
    limit = settings.CITYLINE_PHOTO_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise InvalidInput(
            f"{name!r} is larger than the {limit / 1_048_576:g} MB a photo may be", field="photo"
        )
    upload.seek(0)


def photo_prepare(*, upload: UploadedFile) -> PreparedPhoto:
    """Check an upload and re-encode it, or raise `InvalidInput` naming the field `photo`."""
    name = upload.name or "the file"
    _size_check(upload, name)
    try:
        with Image.open(upload) as opened:
            if opened.format not in ACCEPTED_FORMATS:
                raise _refuse(name)
            if opened.width * opened.height > MAX_PIXELS:
                raise InvalidInput(
                    f"{name!r} has more than {MAX_PIXELS // 1_000_000} million pixels",
                    field="photo",
                )
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            image = _flattened(upright)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(name) from None
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
    return PreparedPhoto(
        photo=_jpeg(image), thumbnail=_jpeg(thumbnail), width=image.width, height=image.height
    )


@dataclass(frozen=True)
class PhotoPlace:
    latitude: float
    longitude: float


def _degrees(value: object, ref: object, negative: str) -> float | None:
    """Degrees from EXIF's (degrees, minutes, seconds) rationals and its N/S or E/W letter."""
    if not isinstance(value, tuple) or len(value) != 3 or not isinstance(ref, str):
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    total = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(total):
        return None
    return -total if ref.strip().upper() == negative else total


def photo_place_read(*, upload: UploadedFile) -> PhotoPlace | None:
    """Where a photo was taken, from its EXIF GPS block, or None when it has none. Only the
    file's header is read (no pixels are decoded) and nothing is kept; the same checks as
    `photo_prepare` refuse what is not a photo with `InvalidInput` naming the field `photo`."""
    name = upload.name or "the file"
    _size_check(upload, name)
    try:
        with Image.open(upload) as opened:
            if opened.format not in ACCEPTED_FORMATS:
                raise _refuse(name)
            gps = opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(name) from None
    latitude = _degrees(
        gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S"
    )
    longitude = _degrees(
        gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W"
    )
    # A phone without a fix writes zeros, which would put the pin in the Gulf of Guinea.
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return PhotoPlace(latitude=round(latitude, 6), longitude=round(longitude, 6))


def photo_absolute_url(*, attachment: Attachment) -> str:
    return settings.CITYLINE_SITE_URL + reverse(
        "servicerequests:photo", kwargs={"attachment_id": attachment.pk}
    )


def attachment_photos_add(
    *, request: ServiceRequest, photos: Sequence[PreparedPhoto], by: User | None
) -> list[Attachment]:
    """Store prepared photos with a request, at most `PHOTOS_PER_REQUEST` in all. The files are
    written first and removed again if the rows are refused, so a refusal leaves nothing."""
    if not photos:
        return []
    attachments: list[Attachment] = []
    try:
        for prepared in photos:
            attachment = Attachment(
                request=request,
                width=prepared.width,
                height=prepared.height,
                content_type=CONTENT_TYPE,
            )
            key = uuid.uuid4().hex
            attachment.photo.save(f"{key}.jpg", ContentFile(prepared.photo), save=False)
            attachment.thumbnail.save(f"{key}.jpg", ContentFile(prepared.thumbnail), save=False)
            attachments.append(attachment)
        with transaction.atomic():
            # The request's row is locked so two uploads at once cannot both pass the count.
            ServiceRequest.objects.select_for_update().filter(pk=request.pk).exists()
            stored = Attachment.objects.filter(request=request).exclude(photo="").count()
            if stored + len(photos) > PHOTOS_PER_REQUEST:
                raise InvalidInput(
                    f"a request has at most {PHOTOS_PER_REQUEST} photos", field="photo"
                )
            for attachment in attachments:
                attachment.save()
                attachment.media_url = photo_absolute_url(attachment=attachment)
                attachment.save(update_fields=["media_url"])
            audit_record(
                actor=by,
                action="request.photos_added",
                target=request,
                details={"attachments": [attachment.pk for attachment in attachments]},
                ip=None,
            )
    except BaseException:
        for attachment in attachments:
            attachment.photo.delete(save=False)
            attachment.thumbnail.delete(save=False)
        raise
    return attachments


def attachment_photo_add(
    *, request: ServiceRequest, upload: UploadedFile, by: User | None
) -> Attachment:
    """Check, re-encode and store one uploaded photo with a request."""
    [attachment] = attachment_photos_add(
        request=request, photos=[photo_prepare(upload=upload)], by=by
    )
    return attachment
