"""`/report/photo-place/`: where a resident's photo was taken, read from its EXIF so the report
form can offer to put the pin there; only the coordinates are read and nothing is stored."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from cityline.geo.tests.factories import BoundaryAreaFactory, square
from cityline.servicerequests.models import Attachment
from cityline.servicerequests.tests.photos import GPS_IFD, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db

URL = "/report/photo-place/"


@pytest.fixture
def city():
    return BoundaryAreaFactory.create(geometry=square(west=-87.7, south=41.8, size=0.1))


def _jpeg_taken_at(gps: dict) -> SimpleUploadedFile:
    image = Image.new("RGB", (32, 24), (30, 120, 30))
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update(gps)
    data = io.BytesIO()
    image.save(data, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", data.getvalue(), content_type="image/jpeg")


def _stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_the_url_is_the_report_forms():
    assert reverse("portal:report-photo-place") == URL


def test_a_photo_taken_in_the_city_offers_where_it_was_taken(client, city):
    # given: 41°52'30"N 87°37'5"W, as a phone writes it
    photo = jpeg_upload(gps=True)
    # when
    response = client.post(URL, {"photo": photo})
    # then
    assert response.status_code == 200
    assert response.json() == {"place": {"lat": 41.875, "lon": -87.618056, "inside": True}}


def test_a_photo_taken_outside_the_city_says_so(client, city):
    # given: 40°42'N 74°0'W
    photo = _jpeg_taken_at({1: "N", 2: (40.0, 42.0, 0.0), 3: "W", 4: (74.0, 0.0, 0.0)})
    # when
    response = client.post(URL, {"photo": photo})
    # then
    assert response.json() == {"place": {"lat": 40.7, "lon": -74.0, "inside": False}}


def test_southern_and_western_references_give_negative_degrees(client):
    # given
    photo = _jpeg_taken_at({1: "S", 2: (33.0, 52.0, 12.0), 3: "E", 4: (151.0, 12.0, 36.0)})
    # when
    place = client.post(URL, {"photo": photo}).json()["place"]
    # then
    assert (place["lat"], place["lon"]) == (-33.87, 151.21)


@pytest.mark.parametrize(
    "gps",
    [
        {},
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},
        {1: "N", 2: (41.0, 52.0, 30.0)},
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "W", 4: (87.0, 0.0, 0.0)},
    ],
    ids=["no-gps", "no-fix", "latitude-only", "out-of-range"],
)
def test_a_photo_without_a_usable_position_offers_nothing(client, city, gps):
    # when
    response = client.post(URL, {"photo": _jpeg_taken_at(gps)})
    # then
    assert response.status_code == 200
    assert response.json() == {"place": None}


def test_a_photo_without_exif_offers_nothing(client, city):
    # when
    response = client.post(URL, {"photo": jpeg_upload()})
    # then
    assert response.json() == {"place": None}


def test_a_file_that_is_no_photo_gets_a_clear_message(client, city):
    # when
    response = client.post(URL, {"photo": pdf_upload()})
    # then
    assert response.status_code == 400
    assert "could not take this file as a photo" in response.json()["error"]


@override_settings(CITYLINE_PHOTO_MAX_BYTES=100)
def test_a_photo_over_the_size_limit_gets_a_clear_message(client, city):
    # when
    response = client.post(URL, {"photo": jpeg_upload(gps=True)})
    # then
    assert response.status_code == 400
    assert "at most" in response.json()["error"]


def test_the_message_is_in_the_residents_language(client, city):
    # when
    response = client.post(URL, {"photo": pdf_upload()}, headers={"accept-language": "es"})
    # then
    assert response.status_code == 400
    assert "could not" not in response.json()["error"]


def test_no_photo_gets_a_clear_message(client):
    # when
    response = client.post(URL, {})
    # then
    assert response.status_code == 400
    assert response.json()["error"]


def test_reading_a_photos_place_stores_nothing(client, city):
    # given
    before = _stored_files()
    # when
    client.post(URL, {"photo": jpeg_upload(gps=True)})
    # then
    assert Attachment.objects.count() == 0
    assert _stored_files() == before


def test_only_a_post_is_answered(client):
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 405
