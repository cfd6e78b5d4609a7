"""A resident looks at the requests of their district in a real browser, with and without
JavaScript; axe-core checks the pages in each language."""

import pytest
from playwright.sync_api import expect

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)
from cityline.portal.tests.test_track_journey import _axe_serious
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)


def _district_with_requests() -> list[str]:
    council = BoundaryLayerFactory.create(slug="council", name="Council District")
    BoundaryAreaFactory.create(
        layer=council,
        code="4",
        name="Council District 4",
        geometry=square(west=-87.7, south=41.8, size=0.1),
    )
    AddressPointFactory.create(address="120 Main St", latitude=41.85, longitude=-87.65)
    pothole = ServiceTypeFactory.create(code="pothole", name="Pothole")
    return [
        make_request(service_type=pothole, latitude=41.85, longitude=-87.65).tracking_number,
        make_request(service_type=pothole, latitude=41.86, longitude=-87.66).tracking_number,
    ]


def test_a_resident_sees_their_districts_requests_on_the_map_and_in_the_table(browser_page):
    # given
    numbers = _district_with_requests()
    page = browser_page
    # when
    page.goto("/neighborhood/")
    page.get_by_label("Or in a district").select_option(label="Council District 4")
    page.get_by_role("button", name="Show requests").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests in Council District 4")
    # The map counted both requests, drawn over the district's outline.
    clusters = page.locator(".map-cluster")
    expect(clusters.first).to_be_visible()
    assert sum(int(count) for count in clusters.all_inner_texts()) == 2
    for number in numbers:
        expect(page.get_by_role("link", name=number)).to_have_attribute("href", f"/track/{number}/")
    # when: near an address the map opens close enough to show each request
    page.get_by_label("Or in a district").select_option(value="")
    page.get_by_label("Near an address").fill("120 Main St")
    page.get_by_role("button", name="Show requests").click()
    dot = page.locator(".neighborhood-map path.leaflet-interactive")
    expect(dot).to_have_count(1)
    dot.click()
    page.locator(".map-popup").get_by_role("link", name=numbers[0]).click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole")


def test_without_javascript_at_320_px_the_table_answers(browser_context_factory):
    # given
    numbers = _district_with_requests()
    context = browser_context_factory(
        java_script_enabled=False, viewport={"width": 320, "height": 700}
    )
    page = context.new_page()
    # when
    page.goto("/neighborhood/")
    page.get_by_label("Or in a district").select_option(label="Council District 4")
    page.get_by_label("Service", exact=True).select_option(label="Pothole")
    page.get_by_role("button", name="Show requests").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests in Council District 4")
    assert page.locator(".map-canvas").count() == 0
    for number in numbers:
        expect(page.get_by_role("link", name=number)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_neighborhood_pages_have_no_serious_accessibility_violation(
    browser_context_factory, language
):
    # given
    _district_with_requests()
    context = browser_context_factory(
        bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    paths = [
        "/neighborhood/",
        "/neighborhood/?area=council:4",
        "/neighborhood/?address=1+Nowhere+Lane",
        "/map/",
        "/neighborhood/subscribe/sent/",
    ]
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            # when
            page.goto(path)
            page.wait_for_load_state("networkidle")
            # then
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert _axe_serious(page) == [], path
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} scrolls sideways at {width} px"
