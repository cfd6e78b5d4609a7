"""A resident reports a problem in a real browser: with the map, without JavaScript on a phone,
and in Arabic; axe-core checks the pages in each language."""

import pytest
from playwright.sync_api import expect

from cityline.catalog.tests.factories import ServiceTypeFactory, ServiceTypeKeywordFactory
from cityline.geo.tests.factories import AddressPointFactory, BoundaryAreaFactory, square
from cityline.portal.tests.test_track_journey import _axe_serious
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.photos import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = {"name": "hole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
# Taken at 41°52'30"N 87°37'5"W, inside the test's city.
PHOTO_WITH_GPS = {"name": "hole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=True)}


@pytest.fixture
def pothole():
    BoundaryAreaFactory.create(geometry=square(west=-87.7, south=41.8, size=0.1))
    service_type = ServiceTypeFactory.create(code="pothole", name="Pothole")
    ServiceTypeKeywordFactory.create(service_type=service_type, term="hole")
    return service_type


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_resident_describes_chooses_places_on_the_map_and_sends_a_report(browser_page, pothole):
    # given
    reported = make_request(service_type=pothole, latitude=41.8502, longitude=-87.6502)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    # when: describe, then choose
    page.goto("/")
    page.get_by_label("What is the problem?").fill("a pothole outside my house")
    page.get_by_role("button", name="Start a report").click()
    page.get_by_role("link", name="Pothole").first.click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")
    expect(page.get_by_label("Describe the problem")).to_have_value("a pothole outside my house")
    # when: place the pin where the map's middle is
    canvas = page.locator(".place-picker__map")
    expect(canvas.locator("path.leaflet-interactive, svg path").first).to_be_attached()
    canvas.click()
    # then: the requests already reported there are shown, on the map and as a list
    expect(page.locator("#nearby")).to_contain_text(reported.tracking_number)
    expect(page.locator("#nearby")).to_contain_text("This is my problem too: follow it")
    expect(page.locator(".place-picker__map .leaflet-marker-icon")).to_be_visible()
    assert page.locator("#id_lat").input_value() != ""
    # when: questions, photo, send
    page.get_by_label("Photos (optional)").set_input_files(files=[PHOTO])
    page.locator("#id_email").fill("rosa@example.org")
    page.get_by_role("button", name="Send the report").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    filed = ServiceRequest.objects.exclude(pk=reported.pk).get()
    expect(page.locator(".confirmation")).to_contain_text(filed.tracking_number)
    assert filed.attachments.count() == 1
    assert (filed.channel, filed.requester.email) == ("web", "rosa@example.org")
    # when: track it
    page.get_by_role("link", name="Track this request").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")


def test_a_photo_taken_in_the_city_offers_to_move_the_pin_where_it_was_taken(browser_page, pothole):
    # given
    page = browser_page
    page.goto("/report/?service=pothole")
    expect(page.locator(".place-picker__map path").first).to_be_attached()
    use = page.get_by_role("button", name="Use where this photo was taken")
    # when
    page.get_by_label("Photos (optional)").set_input_files(files=[PHOTO_WITH_GPS])
    use.click()
    # then: the pin is there, and the form carries the place
    expect(page.locator(".place-picker__map .leaflet-marker-icon")).to_be_visible()
    expect(page.locator("#id_lat")).to_have_value("41.875000")
    expect(page.locator("#id_long")).to_have_value("-87.618056")
    expect(page.locator(".photo-place__status")).to_contain_text("where the photo was taken")
    expect(use).to_be_hidden()
    # when: a photo that says nothing of where it was taken replaces it
    with page.expect_response("**/report/photo-place/") as answered:
        page.get_by_label("Photos (optional)").set_input_files(files=[PHOTO])
    # then: nothing is offered
    assert answered.value.json() == {"place": None}
    expect(page.locator(".photo-place__status")).to_have_text("")
    expect(use).to_be_hidden()


def test_a_resident_reports_on_a_phone_without_javascript(browser_context_factory, pothole):
    # given
    AddressPointFactory.create(address="100 Main St", latitude=41.85, longitude=-87.65)
    reported = make_request(service_type=pothole)
    context = browser_context_factory(
        java_script_enabled=False, viewport={"width": 320, "height": 700}
    )
    page = context.new_page()
    # when
    page.goto("/report/")
    _no_sideways_scroll(page, 320)
    page.get_by_label("What is the problem?").fill("hole in the road")
    page.get_by_role("button", name="Find the service").click()
    page.get_by_role("link", name="Pothole").first.click()
    page.get_by_label("Address", exact=True).fill("100 Main Street")
    page.get_by_role("button", name="Check this place").click()
    # then
    expect(page.locator("#nearby")).to_contain_text(reported.tracking_number)
    _no_sideways_scroll(page, 320)
    # when
    page.get_by_label("Photos (optional)").set_input_files(files=[PHOTO])
    page.get_by_role("button", name="Send the report").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    _no_sideways_scroll(page, 320)
    filed = ServiceRequest.objects.exclude(pk=reported.pk).get()
    assert (filed.address, filed.attachments.count()) == ("100 Main Street", 1)


def test_a_resident_reports_in_arabic(browser_context_factory, pothole):
    # given
    context = browser_context_factory(extra_http_headers={"Accept-Language": "ar"})
    page = context.new_page()
    # when
    page.goto("/report/?service=pothole")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(".place-picker__map").click()
    expect(page.locator("#nearby")).to_contain_text("لم يُبلغ أحد")
    page.locator("#id_email").fill("amal@example.org")
    page.get_by_role("button", name="أرسل البلاغ").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا: وصلنا بلاغك")
    assert ServiceRequest.objects.get().requester.language == "ar"


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_report_pages_have_no_serious_accessibility_violation(
    browser_context_factory, pothole, language
):
    # given
    make_request(service_type=pothole)
    # axe-core is added to each page as a script of its own, which the pages' policy refuses.
    context = browser_context_factory(
        bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    paths = ["/", "/report/", "/report/?q=hole", "/report/?service=pothole"]
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            # when
            page.goto(path)
            # then
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert _axe_serious(page) == [], path
            _no_sideways_scroll(page, width)
    # when: the confirmation
    page.goto("/report/?service=pothole")
    page.locator(".place-picker__map").click()
    page.locator(".report-send").click()
    # then
    expect(page.locator(".confirmation")).to_be_visible()
    assert _axe_serious(page) == []
    _no_sideways_scroll(page, 1280)
