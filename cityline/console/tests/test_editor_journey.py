"""An article's way from an editor's draft to the public portal, in a real browser."""

import pytest
from playwright.sync_api import expect

from cityline.knowledge.tests.factories import editor_of, parks

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def _sign_in(page, username):
    page.goto("/console/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_an_editor_drafts_an_approver_publishes_and_residents_read_it(browser_page):
    # given
    agency = parks()
    editor_of(agency, username="editor-parks")
    editor_of(agency, username="approver-parks")
    page = browser_page
    # when the editor drafts and submits
    _sign_in(page, "editor-parks")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Owning agency").select_option(label="Parks Department")
    page.get_by_label("Address (slug)").fill("leaf-pickup")
    page.get_by_label("Topic").fill("Trees")
    page.get_by_label("Title (the resident's question)").fill("When are leaves picked up?")
    page.get_by_label("Public answer (Markdown)").fill("Every **Monday** from October.")
    page.get_by_label("Internal notes, staff only (Markdown)").fill("Depot: Randall's Island.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("When are leaves picked up?")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".meta")).to_contain_text("submitted for review")
    _sign_out(page)
    # and the approver approves and publishes
    _sign_in(page, "approver-parks")
    page.get_by_role("link", name="When are leaves picked up?").click()
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_label("Review note").fill("Clear and correct.")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".meta")).to_contain_text("published")
    _sign_out(page)
    # then residents read it on the portal, without the internal notes
    page.goto("/help/topics/Trees/")
    page.get_by_role("link", name="When are leaves picked up?").click()
    expect(page.locator(".answer")).to_contain_text("Every Monday from October.")
    expect(page.locator(".answer strong")).to_have_text("Monday")
    expect(page.locator("body")).not_to_contain_text("Randall")
