"""Uploads as a phone sends them, built with Pillow."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tags: the GPS block's pointer, and the orientation "rotate 90° clockwise to view".
GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6


def jpeg_bytes(
    *, width: int = 64, height: int = 48, gps: bool = False, orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (41.0, 52.0, 30.0), 3: "W", 4: (87.0, 37.0, 5.0)})
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def jpeg_upload(name: str = "pothole.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def png_upload(name: str = "pothole.png", *, transparent: bool = False) -> SimpleUploadedFile:
    image = Image.new(
        "RGBA" if transparent else "RGB", (30, 20), (0, 90, 200, 0) if transparent else (0, 90, 200)
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_upload(name: str = "pothole.jpg") -> SimpleUploadedFile:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, pdf, content_type="image/jpeg")
