"""A request's way through the agency's hands on its page, in a real browser."""

import pytest
from playwright.sync_api import expect

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.models import Resolution, Status
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_a_worker_acknowledges_assigns_and_closes_a_request_on_its_page(browser_page):
    # given
    dot = AgencyFactory.create(code="DOT", name="Transportation")
    user_with_role(Role.AGENCY_WORKER, agency=dot, username="dana", is_staff=True)
    user_with_role(
        Role.AGENCY_WORKER, agency=dot, username="colm", first_name="Colm", is_staff=True
    )
    request = make_request(
        service_type=ServiceTypeFactory.create(agency=dot, name="Pothole"),
        address="100 N State St",
    )
    page = browser_page
    page.goto(f"/console/requests/{request.tracking_number}/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.tracking_number)
    # when the worker acknowledges it
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("status")).to_have_text("acknowledged")
    # and gives it to a colleague
    page.locator("#action-assign summary").click()
    page.get_by_label("Colleague").select_option(label="Colm")
    page.locator("#action-assign").get_by_role("button", name="Assign").click()
    expect(page.get_by_test_id("assignee")).to_have_text("Colm")
    # and closes it with a public note
    page.locator("#action-close summary").click()
    page.get_by_label("Resolution").select_option(value=Resolution.COMPLETED)
    page.get_by_label("Public note").fill("Filled this morning.")
    page.get_by_role("button", name="Close request").click()
    # then
    expect(page.get_by_test_id("status")).to_have_text("closed (completed)")
    expect(page.get_by_test_id("history")).to_contain_text("Filled this morning.")
    expect(page.get_by_test_id("history")).to_contain_text("Assigned to colm")
    request.refresh_from_db()
    assert (request.status, request.assignee.username) == (Status.CLOSED, "colm")
