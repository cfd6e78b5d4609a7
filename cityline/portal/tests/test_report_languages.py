"""The report form, its confirmation and the home page hold no English of ours in Spanish or
Arabic, and read right to left in Arabic."""

import uuid

import pytest
from django.urls import reverse

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, square
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

ENGLISH_ON_THE_PAGES = [
    "Report a problem",
    "Check a request",
    "Find an answer",
    "Most reported",
    "Requests near you",
    "What is the problem?",
    "Is it one of these?",
    "Or choose from every service",
    "Where is it?",
    "Use my location",
    "Check this place",
    "What did you see?",
    "Describe the problem",
    "Photos (optional)",
    "Your contact details (optional)",
    "never shown on the public pages",
    "E-mail me when the request changes",
    "Send the report",
    "Already reported nearby",
    "This is my problem too",
    "Thank you: your report is in",
    "What happens next",
    "Track this request",
    "Latitude",
    "Address",
]


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_report_pages_hold_no_english_of_ours(client, language):
    # given
    BoundaryAreaFactory.create(geometry=square(west=-87.7, south=41.8, size=0.1))
    ServiceTypeFactory.create(code="pothole", name="Pothole")
    nearby = make_request(service_type=ServiceTypeFactory.create(code="pothole"))
    headers = {"accept-language": language}
    place = {"service": "pothole", "lat": "41.85", "long": "-87.65"}
    sent = client.post(
        reverse("portal:report"), {**place, "submission": str(uuid.uuid4())}, headers=headers
    )
    # when
    pages = [
        client.get("/", headers=headers),
        client.get(reverse("portal:report"), {"q": "pothole"}, headers=headers),
        client.get(reverse("portal:report"), {"service": "pothole"}, headers=headers),
        client.post(reverse("portal:report"), {**place, "look": "1"}, headers=headers),
        client.get(sent["Location"], headers=headers),
    ]
    # then
    assert ServiceRequest.objects.count() == 2
    for page in pages:
        html = page.content.decode()
        assert f'lang="{language}"' in html
        assert [english for english in ENGLISH_ON_THE_PAGES if english in html] == []
    assert nearby.tracking_number in pages[3].content.decode()


def test_arabic_pages_read_right_to_left(client):
    # when
    html = client.get(reverse("portal:report"), headers={"accept-language": "ar"}).content.decode()
    # then
    assert 'dir="rtl"' in html
