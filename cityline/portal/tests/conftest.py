"""The browser contexts the portal's journey tests open, each with its own options."""

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser_context_factory(live_server, monkeypatch):
    """New browser contexts on the live server, each with its own options."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield lambda **options: browser.new_context(base_url=live_server.url, **options)
        browser.close()
        connections.close_all()
