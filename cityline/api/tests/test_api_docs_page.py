"""The API's docs page works in a real browser under the site's Content-Security-Policy, with
nothing fetched from outside the site."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_lists_the_operations_from_the_sites_own_files(browser_page, live_server):
    # given
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            (request.url.startswith(live_server.url) or request.url.startswith("data:"))
            or outside.append(request.url)
        ),
    )
    # when
    page.goto("/api/docs")
    # then
    expect(page.get_by_role("heading", name="Cityline API")).to_be_visible()
    expect(page.get_by_text("/api/knowledge/articles/{slug}/feedback")).to_be_visible()
    expect(page.get_by_text("Search articles and service types")).to_be_visible()
    assert outside == []
