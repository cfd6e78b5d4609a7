"""An inspector files from the field on a phone-sized screen, in a real browser."""

import pytest
from playwright.sync_api import expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory, list_question
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.tests.photos import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
PHONE = {"width": 320, "height": 640}


def test_an_inspector_files_with_the_devices_location_and_a_photo_at_phone_size(browser_page):
    # given
    dot = AgencyFactory.create(code="DOT", name="Transportation")
    pothole = ServiceTypeFactory.create(code="pothole", name="Pothole", agency=dot)
    list_question(service_type=pothole, code="depth", keys=["shallow", "deep"], required=True)
    user_with_role(Role.AGENCY_WORKER, agency=dot, username="inspector", is_staff=True)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 41.8512, "longitude": -87.6543})
    page.goto("/console/login/?next=/console/inspect/")
    page.get_by_label("Username").fill("inspector")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # when the inspector picks the type, takes the device's location and a photo
    page.get_by_label("Service type").select_option(label="Pothole — Transportation")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Use this device").click()
    expect(page.get_by_role("status")).to_have_text("Location found.")
    page.get_by_label("What you found").fill("Deep pothole in the bus lane.")
    page.get_by_label("What can you tell us?").select_option(label="Deep")
    page.get_by_label("Photos").set_input_files(
        [{"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=True)}]
    )
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="File the request").click()
    # then the page confirms with the tracking number, and nothing overflowed the phone's width
    expect(page.get_by_role("heading", level=1)).to_have_text("Request filed")
    filed = ServiceRequest.objects.get()
    expect(page.locator(".tracking-number")).to_have_text(filed.tracking_number)
    assert fits
    assert (filed.proactive, round(filed.latitude, 4), round(filed.longitude, 4)) == (
        True,
        41.8512,
        -87.6543,
    )
    assert filed.attachments.count() == 1
    page.get_by_role("link", name="File another", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")
