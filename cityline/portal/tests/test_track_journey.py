"""A resident tracks a request and follows it in a real browser; axe-core checks each language."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cityline.geo.tests.factories import BoundaryAreaFactory, square
from cityline.servicerequests.models import Follower
from cityline.servicerequests.tests.factories import make_request, make_request_in_status
from cityline.servicerequests.tests.photos import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# axe-core from its npm package (script/vendor-axe-core): for the tests only, never served.
AXE = Path(__file__).resolve().parents[2] / "testing" / "vendor" / "axe-core" / "axe.min.js"


def _axe_serious(page) -> list[list]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => [v.impact, v.id, v.nodes.map(n => n.target.join(' '))])"
    )


def test_a_resident_finds_a_request_sees_it_on_the_map_and_follows_it(browser_page):
    # given
    BoundaryAreaFactory.create(geometry=square(west=-87.7, south=41.8, size=0.1))
    request = make_request(address="12 Main St")
    page = browser_page
    # when
    page.goto("/track/")
    page.get_by_label("Tracking number").fill(request.tracking_number)
    page.get_by_role("button", name="Find").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Received", exact=True).first).to_be_visible()
    # The map drew the pin and the city's outlines under it; the address stays in words.
    expect(page.locator(".map-canvas .leaflet-marker-icon")).to_be_visible()
    expect(
        page.locator(".map-canvas path.leaflet-interactive, .map-canvas svg path")
    ).to_have_count(1)
    expect(page.get_by_text("12 Main St")).to_be_visible()
    # when
    page.get_by_label("Your e-mail address").fill("neighbour@example.org")
    page.get_by_role("button", name="Follow this request").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    follower = Follower.objects.get()
    assert (follower.email, follower.language, follower.confirmed_at) == (
        "neighbour@example.org",
        "en",
        None,
    )


def test_a_resident_says_a_closed_request_is_not_fixed_with_a_photo(browser_page):
    # given
    request = make_request_in_status("closed")
    page = browser_page
    page.goto(f"/track/{request.tracking_number}/")
    # when
    page.get_by_role("link", name="Tell us it is not fixed").click()
    page.get_by_label("What is still wrong?").fill("The bins are still full.")
    page.get_by_label("A photo (optional)").set_input_files(
        files=[{"name": "bins.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_role("button", name="Send").click()
    # then
    expect(page.get_by_role("status")).to_contain_text("The request has been reopened")
    expect(page.get_by_text("The bins are still full.")).to_be_visible()
    expect(
        page.get_by_role("img", name=f"Photo 1 of 1 of request {request.tracking_number}")
    ).to_be_visible()
    request.refresh_from_db()
    assert request.status == "acknowledged"


def test_a_page_without_javascript_still_says_where_the_place_is(browser_context_factory):
    # given
    request = make_request(address="12 Main St")
    page = browser_context_factory(java_script_enabled=False).new_page()
    # when
    page.goto(f"/track/{request.tracking_number}/")
    # then
    expect(page.get_by_text("12 Main St")).to_be_visible()
    expect(page.locator(".place")).to_contain_text("41.85000")
    expect(page.locator(".place")).to_contain_text("-87.65000")
    assert page.locator(".map-canvas").count() == 0


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_tracking_pages_have_no_serious_accessibility_violation(
    browser_context_factory, language
):
    # given
    open_request = make_request(address="12 Main St")
    closed_request = make_request_in_status("closed")
    # axe-core is added to each page as a script of its own, which the pages' policy refuses.
    context = browser_context_factory(
        bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    paths = [
        "/track/",
        "/track/311-NOPE/",
        f"/track/{open_request.tracking_number}/",
        f"/track/{closed_request.tracking_number}/",
        f"/track/{closed_request.tracking_number}/not-fixed/",
        f"/track/{open_request.tracking_number}/follow/sent/",
    ]
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            # when
            page.goto(path)
            # then
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert _axe_serious(page) == [], path
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} scrolls sideways at {width} px"
