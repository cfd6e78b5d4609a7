"""A resident finds an answer in a real browser, and tells us whether it helped."""

import re

import pytest
from playwright.sync_api import expect

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.models import ArticleFeedback
from cityline.knowledge.tests.factories import make_article
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_searches_reads_an_answer_and_sends_feedback(browser_page):
    # given
    service_type = ServiceTypeFactory(
        code="dead-tree", name="Dead tree", sla_policy=SlaPolicyFactory(amount=3)
    )
    make_article(
        topic="Trees",
        service_types=[service_type],
        internal_notes="Internal: escalate to the borough forester.",
    )
    page = browser_page
    # when
    page.goto("/help/")
    page.get_by_label("What do you need help with?").fill("tree removal")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="How do I get a tree removed?").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("How do I get a tree removed?")
    expect(page.get_by_text("the city aims to act within 3 days")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("borough forester")
    # when
    page.get_by_label("No").check()
    page.get_by_label("What were you looking for? (optional)").fill("A stump, not a tree.")
    page.get_by_role("button", name="Send").click()
    # then
    expect(page.get_by_role("status")).to_have_text(re.compile("Thank you"))
    # htmx answered in place: the page was not reloaded.
    assert "feedback=sent" not in page.url
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "A stump, not a tree.")


def test_a_resident_reads_the_portal_in_arabic_right_to_left(browser_page):
    # given
    make_article(topic="Trees")
    page = browser_page
    page.goto("/help/topics/")
    # when
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    # then
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("المواضيع")
    page.get_by_role("link", name="Trees").click()
    page.get_by_role("link", name="How do I get a tree removed?").click()
    expect(page.get_by_text("هذه الإجابة غير مترجمة إلى لغتك بعد")).to_be_visible()
