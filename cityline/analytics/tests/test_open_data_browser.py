"""The open-data page in a real browser, with JavaScript off, at a phone's width and a desktop's
in each language: no serious accessibility violation (axe-core), no sideways scrolling, and the
files download. Screenshots are kept in the test's folder for a person to look at."""

import pytest
from playwright.sync_api import expect

from cityline.analytics.opendata import file_name, open_data_write
from cityline.analytics.tests.test_performance_browser import (
    WIDTHS,
    _axe_serious,
    _no_sideways_scroll,
    browser,  # noqa: F401 - the fixture
)
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exported(settings, tmp_path):
    settings.CITYLINE_OPEN_DATA_DIR = tmp_path / "open-data"
    make_request(service_type=ServiceTypeFactory.create(code="pothole"))
    return open_data_write()


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_open_data_page_is_accessible_and_fits_a_phone_without_javascript(
    exported,
    browser,  # noqa: F811 - the fixture
    tmp_path,
    language,
):
    # given: axe-core is added as a script of its own, which the pages' policy refuses
    context = browser(
        bypass_csp=True, extra_http_headers={"Accept-Language": language}, java_script_enabled=True
    )
    page = context.new_page()
    for width in (*WIDTHS, 375):
        page.set_viewport_size({"width": width, "height": 900})
        # when
        page.goto("/open-data/")
        # then
        expect(page.locator("html")).to_have_attribute("lang", language)
        if language == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        assert _axe_serious(page) == []
        _no_sideways_scroll(page, width, "/open-data/")
        page.screenshot(path=tmp_path / f"open-data-{language}-{width}.png", full_page=True)


def test_the_files_download_without_javascript(
    exported,
    browser,  # noqa: F811 - the fixture
    tmp_path,
):
    # given
    page = browser(java_script_enabled=False, accept_downloads=True).new_page()
    page.goto("/open-data/")
    # when
    with page.expect_download() as download:
        page.get_by_role("link", name=file_name("csv")).click()
    # then
    assert download.value.suggested_filename == file_name("csv")
    downloaded = tmp_path / "downloaded.csv"
    download.value.save_as(downloaded)
    assert downloaded.read_text().startswith('"service_request_id"')
