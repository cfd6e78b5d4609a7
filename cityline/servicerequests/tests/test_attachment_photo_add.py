import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Attachment
from cityline.servicerequests.services.photos import (
    PHOTOS_PER_REQUEST,
    attachment_photo_add,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.photos import (
    GPS_IFD,
    ROTATE_90_CLOCKWISE,
    jpeg_bytes,
    jpeg_upload,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db


def _stored_image(field) -> Image.Image:
    with field.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


def test_a_jpeg_is_stored_re_encoded_with_a_thumbnail_and_its_absolute_url(settings):
    # given
    settings.CITYLINE_SITE_URL = "https://311.example.org"
    request = make_request()
    # when
    attachment = attachment_photo_add(
        request=request, upload=jpeg_upload(width=1200, height=900), by=None
    )
    # then
    attachment.refresh_from_db()
    assert (attachment.width, attachment.height, attachment.content_type) == (
        1200,
        900,
        "image/jpeg",
    )
    assert attachment.media_url == f"https://311.example.org/photos/{attachment.pk}.jpg"
    assert _stored_image(attachment.photo).format == "JPEG"
    thumbnail = _stored_image(attachment.thumbnail)
    assert max(thumbnail.size) == 400


def test_a_png_with_transparency_becomes_a_jpeg_on_white():
    # given
    request = make_request()
    # when
    attachment = attachment_photo_add(request=request, upload=png_upload(transparent=True), by=None)
    # then
    image = _stored_image(attachment.photo)
    assert image.format == "JPEG"
    assert image.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)


def test_exif_and_its_gps_position_are_stripped():
    # given
    request = make_request()
    assert Image.open(io.BytesIO(jpeg_bytes(gps=True))).getexif().get_ifd(GPS_IFD)
    # when
    attachment = attachment_photo_add(request=request, upload=jpeg_upload(gps=True), by=None)
    # then
    for field in (attachment.photo, attachment.thumbnail):
        image = _stored_image(field)
        assert "exif" not in image.info
        assert dict(image.getexif()) == {}
        with field.open("rb") as file:
            assert b"Exif" not in file.read()


def test_the_orientation_is_applied_before_the_exif_is_dropped():
    # given: stored landscape, shown portrait by its EXIF orientation
    request = make_request()
    upload = jpeg_upload(width=60, height=40, orientation=ROTATE_90_CLOCKWISE)
    # when
    attachment = attachment_photo_add(request=request, upload=upload, by=None)
    # then
    assert (attachment.width, attachment.height) == (40, 60)
    assert _stored_image(attachment.photo).size == (40, 60)


def test_a_photo_over_the_size_limit_is_refused(settings):
    # given
    settings.CITYLINE_PHOTO_MAX_BYTES = 1000
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        attachment_photo_add(request=request, upload=jpeg_upload(width=400, height=400), by=None)
    # then
    assert refused.value.field == "photo"
    assert "larger than" in refused.value.message
    assert not Attachment.objects.filter(request=request).exists()


@pytest.mark.parametrize(
    "upload",
    [
        pdf_upload("pothole.jpg"),
        SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain"),
        SimpleUploadedFile("broken.jpg", jpeg_bytes()[:200], content_type="image/jpeg"),
    ],
    ids=["pdf renamed jpg", "text", "truncated jpeg"],
)
def test_what_does_not_decode_as_a_photo_is_refused_by_name(upload):
    # given
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        attachment_photo_add(request=request, upload=upload, by=None)
    # then
    assert refused.value.field == "photo"
    assert repr(upload.name) in refused.value.message
    assert "is not a photo" in refused.value.message
    assert not Attachment.objects.filter(request=request).exists()


def test_an_image_of_a_format_phones_do_not_send_is_refused():
    # given
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="TIFF")
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        attachment_photo_add(
            request=request, upload=SimpleUploadedFile("scan.tif", out.getvalue()), by=None
        )
    # then
    assert refused.value.field == "photo"


def test_a_fourth_photo_is_refused_and_leaves_no_file(settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    request = make_request()
    for _ in range(PHOTOS_PER_REQUEST):
        attachment_photo_add(request=request, upload=jpeg_upload(), by=None)
    files_before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    # when
    with pytest.raises(InvalidInput) as refused:
        attachment_photo_add(request=request, upload=jpeg_upload(), by=None)
    # then
    assert refused.value.field == "photo"
    assert Attachment.objects.filter(request=request).count() == PHOTOS_PER_REQUEST
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == files_before


def test_links_given_at_intake_do_not_count_as_stored_photos():
    # given
    request = make_request(media_urls=("https://example.org/a.jpg",) * PHOTOS_PER_REQUEST)
    # when
    attachment = attachment_photo_add(request=request, upload=jpeg_upload(), by=None)
    # then
    assert attachment.pk is not None
