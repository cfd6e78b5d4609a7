"""The performance pages in a real browser, on a phone's width and a desktop's: the public page in
each language has no serious accessibility violation (axe-core) and never scrolls sideways; the
console page draws its charts and puts the hot spots on the city's map. Screenshots of each are
kept in the test's folder for a person to look at."""

from pathlib import Path

import pytest
import time_machine
from django.test import Client
from playwright.sync_api import expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tests.conftest import AS_OF, LAYER, build_city
from conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "testing" / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (320, 1280)


def _axe_serious(page) -> list[list]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => [v.impact, v.id, v.nodes.map(n => n.target.join(' '))])"
    )


@pytest.fixture
def stored_city(settings, tmp_path):
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"
    settings.CITYLINE_DISTRICT_LAYER = LAYER
    city = build_city()
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return city


@pytest.fixture
def browser(live_server, monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield lambda **options: launched.new_context(base_url=live_server.url, **options)
        launched.close()
        connections.close_all()


def _no_sideways_scroll(page, width: int, path: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{path} scrolls sideways at {width} px"


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_public_page_is_accessible_and_fits_a_phone_in_each_language(
    stored_city, browser, tmp_path, language
):
    # given: axe-core is added as a script of its own, which the pages' policy refuses
    context = browser(bypass_csp=True, extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    for path in ("/performance/?month=2026-03", "/performance/?month=March"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            # when
            page.goto(path)
            # then
            expect(page.locator("html")).to_have_attribute("lang", language)
            if language == "ar":
                expect(page.locator("html")).to_have_attribute("dir", "rtl")
            assert _axe_serious(page) == [], path
            _no_sideways_scroll(page, width, path)
            page.screenshot(path=tmp_path / f"public-{language}-{width}.png", full_page=True)
    page.goto("/performance/?month=2026-03")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Department STR")).to_contain_text("6")


def test_the_console_page_draws_its_charts_and_the_hot_spots_on_the_map(
    stored_city, browser, live_server, tmp_path
):
    # given: an auditor's session, signed in as the console's tests do
    client = Client()
    client.force_login(user_with_role(Role.AUDITOR))
    context = browser(bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    path = f"/console/performance/?date_from=2026-02-01&date_to=2026-03-31&layer={LAYER}&place=cell"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # when
        page.goto(path)
        # then
        expect(page.get_by_role("img", name="Bars: this period solid")).to_be_visible()
        expect(page.get_by_role("img", name="Requests per H3 cell")).to_be_visible()
        expect(page.locator(".hotspot-map__canvas path.leaflet-interactive").first).to_be_attached()
        assert _axe_serious(page) == [], path
        _no_sideways_scroll(page, width, path)
        page.screenshot(path=tmp_path / f"console-{width}.png", full_page=True)
    assert errors == []
