"""The emergency switch in a real browser: a supervisor switches it on, residents see the banner
in their language, the desk shows the script and the pinned answer, and it goes when switched
off."""

import pytest
from playwright.sync_api import Page, expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.emergencies.tests.factories import FLOOD_BANNERS, FLOOD_SCRIPTS, FLOOD_TITLES
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def _resident_page(page: Page, live_server, language: str) -> Page:
    assert page.context.browser is not None
    return page.context.browser.new_page(base_url=live_server.url, locale=language)


def test_a_supervisor_switches_an_emergency_on_and_off(browser_page, live_server):
    # given: a published answer on sandbags and a 311 supervisor signed in
    make_article(slug="sandbags", title="Where do I get sandbags?")
    user_with_role(Role.SUPERVISOR_311, username="chief", is_staff=True)
    page = browser_page
    page.goto("/console/login/?next=/console/emergencies/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when: the flood is switched on, with its words in every language and the answer pinned
    for code, name in (("en", "English"), ("es", "Spanish"), ("ar", "Arabic")):
        page.get_by_label(f"Title ({name})").fill(FLOOD_TITLES[code])
        page.get_by_label(f"Banner ({name})").fill(FLOOD_BANNERS[code])
    page.get_by_label("Call script (English)").fill(FLOOD_SCRIPTS["en"])
    page.get_by_label("Answers pinned on the desk").select_option("sandbags")
    page.get_by_role("button", name="Switch on").click()

    # then: residents read the banner in Spanish and in Arabic, and the desk shows the script
    # and the pinned answer
    expect(page.get_by_role("button", name="Switch it off")).to_be_visible()
    spanish = _resident_page(page, live_server, "es")
    spanish.goto("/")
    expect(spanish.get_by_role("region", name=FLOOD_TITLES["es"])).to_contain_text(
        FLOOD_BANNERS["es"]
    )
    arabic = _resident_page(page, live_server, "ar")
    arabic.goto("/help/")
    expect(arabic.get_by_role("region", name=FLOOD_TITLES["ar"])).to_contain_text(
        FLOOD_BANNERS["ar"]
    )
    page.goto("/console/desk/")
    expect(page.get_by_text(FLOOD_SCRIPTS["en"])).to_be_visible()
    expect(page.get_by_role("link", name="Where do I get sandbags?")).to_be_visible()

    # when: it is switched off
    page.goto("/console/emergencies/")
    page.get_by_role("button", name="Switch it off").click()

    # then: the banner and the desk's briefing are gone
    expect(page.get_by_text("is off")).to_be_visible()
    spanish.reload()
    expect(spanish.locator(".emergency-banner")).to_have_count(0)
    arabic.reload()
    expect(arabic.locator(".emergency-banner")).to_have_count(0)
    page.goto("/console/desk/")
    expect(page.get_by_text(FLOOD_SCRIPTS["en"])).to_have_count(0)
