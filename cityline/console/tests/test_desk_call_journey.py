"""A call on the desk from start to request to wrap-up, in a real browser, keyboard only."""

import pytest
from playwright.sync_api import Locator, Page, expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
    list_question,
)
from cityline.contacts.models import Contact, ContactKind, RequestLink
from cityline.geo.tests.factories import AddressPointFactory
from cityline.knowledge.indexing import search_index_service_types
from cityline.portal.words import day_in_words
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
TABS_AT_MOST = 40


def _tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, as a call-taker would."""
    for _ in range(TABS_AT_MOST):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_a_call_from_start_to_request_to_wrap_up_by_keyboard_alone(browser_page):
    # given: a pothole type with its question, a known address and a pothole reported there
    pothole = ServiceTypeFactory.create(
        code="pothole", name="Pothole", agency=AgencyFactory(code="DOT", name="Transportation")
    )
    ServiceTypeKeywordFactory(service_type=pothole, term="hole in the road")
    list_question(service_type=pothole, code="depth", keys=["shallow", "deep"], required=True)
    search_index_service_types()
    AddressPointFactory(address="100 Main St", latitude=41.85, longitude=-87.65)
    reported = make_request(service_type=pothole, answers={"depth": "shallow"})
    user_with_role(Role.CALL_TAKER, username="agent", is_staff=True)
    page = browser_page
    page.goto("/console/login/?next=/console/desk/")
    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Take a contact")).to_be_visible()

    # when: the call starts, the caller's words suggest the type, the address shows what is
    # reported nearby, and the request is filed with the caller's consent
    _tab_to(page, page.get_by_role("button", name="Start"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="File a request")).to_be_visible()
    _tab_to(page, page.get_by_label("What the caller says"))
    page.keyboard.type("There is a hole in the road outside")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Pothole")).to_be_focused()
    page.keyboard.press("Enter")
    address = page.get_by_label("Address")
    expect(address).to_be_focused()
    page.keyboard.type("100 Main St")
    page.keyboard.press("Tab")
    expect(page.get_by_text("Already reported nearby")).to_be_visible()
    expect(page.locator("#nearby")).to_contain_text(reported.tracking_number)
    _tab_to(page, page.get_by_label("What can you tell us?"))
    page.keyboard.type("Deep")
    _tab_to(page, page.get_by_label("The caller agrees"))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_label("Caller's name"))
    page.keyboard.type("Ana López")
    _tab_to(page, page.get_by_role("button", name="File the request"))
    page.keyboard.press("Enter")

    # then: the script reads the tracking number and the promised day out
    expect(page.get_by_role("heading", name="Request filed")).to_be_visible()
    filed = ServiceRequest.objects.exclude(pk=reported.pk).get()
    expect(page.locator(".tracking-number")).to_have_text(filed.tracking_number)
    expect(page.locator(".promised-day")).to_have_text(day_in_words(filed.expected_at))

    # when: the call is wrapped up
    expect(page.get_by_role("button", name="Wrap up as a service request")).to_be_focused()
    page.keyboard.press("Enter")

    # then
    expect(page.get_by_text("Contact wrapped up.")).to_be_visible()
    contact = Contact.objects.get()
    assert contact.kind == ContactKind.SERVICE_REQUEST
    assert contact.request_links.get().link == RequestLink.CREATED
    assert (filed.channel, filed.address, filed.requester.first_name) == (
        Channel.PHONE,
        "100 Main St",
        "Ana",
    )
    assert filed.answers.get().value == "deep"
