"""Writes of the portal's own data: the city's identity on the public pages."""

import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from cityline.core.errors import InvalidInput
from cityline.core.models import max_length_check
from cityline.portal.models import CityIdentity
from cityline.portal.selectors import city_identity_forget

LOGO_MAX_PIXELS = 512
LOGO_MAX_BYTES = 2 * 1024 * 1024
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# WCAG AA for normal text: white words on the accent colour (buttons, the skip link).
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    share = value / 255
    return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4


def contrast_with_white(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)
    return 1.05 / (luminance + 0.05)


def _colour_check(colour: str) -> str:
    if not _COLOUR.fullmatch(colour):
        raise InvalidInput(f"{colour[:20]!r} is not a colour written #rrggbb", field="colour")
    if contrast_with_white(colour) < MIN_CONTRAST:
        raise InvalidInput(
            f"white text on {colour} is too faint to read (contrast below {MIN_CONTRAST}:1); "
            "choose a darker colour",
            field="colour",
        )
    return colour.lower()


def _logo_png(upload: UploadedFile) -> bytes:
    """The logo re-encoded as a PNG of at most `LOGO_MAX_PIXELS` a side, without its metadata."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise InvalidInput("the logo is larger than 2 MB", field="logo")
    try:
        with Image.open(upload) as image:
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidInput("the logo is not a picture", field="logo") from None
    picture.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class PreparedIdentity:
    name: str
    colour: str
    contact_line: str
    logo_png: bytes | None


def city_identity_prepare(
    *, name: str, colour: str, contact_line: str, logo: UploadedFile | None = None
) -> PreparedIdentity:
    """Check the identity and re-encode its logo, naming the field at fault; nothing is written."""
    name = name.strip()
    if not name:
        raise InvalidInput("the city needs a name", field="name")
    max_length_check(CityIdentity, "name", name)
    max_length_check(CityIdentity, "contact_line", contact_line.strip())
    return PreparedIdentity(
        name=name,
        colour=_colour_check(colour.strip()),
        contact_line=contact_line.strip(),
        logo_png=_logo_png(logo) if logo is not None else None,
    )


def city_identity_update(*, prepared: PreparedIdentity, remove_logo: bool = False) -> CityIdentity:
    """Set the city's identity; every worker shows it from its next page on."""
    with transaction.atomic():
        row, _ = CityIdentity.objects.select_for_update().get_or_create(pk=1)
        row.name, row.colour, row.contact_line = (
            prepared.name,
            prepared.colour,
            prepared.contact_line,
        )
        if (prepared.logo_png is not None or remove_logo) and row.logo:
            row.logo.delete(save=False)
        if prepared.logo_png is not None:
            row.logo.save("logo.png", ContentFile(prepared.logo_png), save=False)
        row.save()
        city_identity_forget()
    return row
