"""The console home on a phone, in a real browser: whoever signs in, in each of the console's
languages, the page never scrolls sideways at 375 px (wide tables scroll in their own box, long
words wrap), and the menu's groups open from the keyboard. Screenshots at a phone's and a
desktop's width are kept in the test's folder for a person to look at."""

import pytest
from playwright.sync_api import expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def agency():
    agency = AgencyFactory.create(
        code="STREETS-SANITATION",
        name="Department of Streets, Sanitation and Infrastructure Maintenance",
    )
    kind = ServiceTypeFactory.create(code="pothole", name="Pothole", agency=agency)
    make_request(service_type=kind)
    return agency


def _sign_in(page, username: str) -> None:
    page.goto("/console/login/?next=/console/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main [type=submit]").click()


def _fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("role", "scoped", "language"),
    [
        (Role.SUPERVISOR_311, False, "en"),
        (Role.SUPERVISOR_311, False, "es"),
        (Role.SUPERVISOR_311, False, "ar"),
        (Role.AGENCY_SUPERVISOR, True, "en"),
        (Role.CALL_TAKER, False, "en"),
    ],
)
def test_the_console_home_fits_a_phone_for_each_role(
    browser_page, live_server, agency, tmp_path, role, scoped, language
):
    # given
    scope = {"agency": agency} if scoped else {}
    user_with_role(role, username="staff", is_staff=True, **scope)
    page = browser_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size(PHONE)
    # when
    _sign_in(page, "staff")
    # then
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".console-menu")).to_be_visible()
    fits = _fits(page)
    page.screenshot(path=tmp_path / f"console-{role}-{language}-375.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=tmp_path / f"console-{role}-{language}-1280.png", full_page=True)
    assert fits, f"the console home scrolls sideways at 375 px for {role} in {language}"


def test_a_menu_group_opens_from_the_keyboard(browser_page, agency):
    # given
    user_with_role(Role.SUPERVISOR_311, username="staff", is_staff=True)
    page = browser_page
    page.set_viewport_size(PHONE)
    _sign_in(page, "staff")
    performance = page.get_by_role("link", name="Forecast and staffing")
    expect(performance).to_be_hidden()
    # when
    page.locator("summary", has_text="Performance").focus()
    page.keyboard.press("Enter")
    # then
    expect(performance).to_be_visible()
