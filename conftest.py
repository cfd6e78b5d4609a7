"""Settings every test runs under, the caches each test starts without, and the browser the
journey tests drive."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A non-UTC city zone catches code that forgets which day it is where the city is.
    settings.TIME_ZONE = "America/Chicago"
    timezone.get_default_timezone.cache_clear()
    # Tasks run at once, in the test's own transaction's on_commit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CITYLINE_TRACKING_PREFIX = "311"
    # Tests sign staff in without a second factor; the tests of the second factor turn it on.
    settings.CITYLINE_REQUIRE_2FA_ROLES = []
    # The test client and the live server speak plain HTTP, as the demo does.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    # Every commit wakes the (immediate) worker, so side effects are visible at once.
    settings.CITYLINE_OUTBOX_WAKE_SECONDS = 0
    # No test reads a classifier a demo run left in var/; the tests that need one train it.
    settings.CITYLINE_CLASSIFIER_PATH = (
        Path(tempfile.mkdtemp(prefix="cityline-tests-")) / "service-type-classifier.joblib"
    )
    # Tests never collect static files, so pages link them unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The analytics store and the forecasts stored beside it go to a throw-away folder too; the
    # tests that read the store give each test a folder of its own.
    settings.CITYLINE_ANALYTICS_DIR = Path(tempfile.mkdtemp(prefix="cityline-test-analytics-"))
    # Stored photos go to a throw-away folder, never to var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="cityline-test-media-")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Also every worker memo (`core/memo.py`): what a previous test created was rolled back
    # without a signal.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _city_language():
    # A test starts in the city's language, not in the one the previous test's last request
    # left active in this thread: factories write the catalog's translated fields in it.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_classifier():
    # A test starts without the classifier an earlier one trained (`cityline demo` trains one).
    Path(settings.CITYLINE_CLASSIFIER_PATH).unlink(missing_ok=True)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A page in Debian's headless Chromium, driven by Playwright, that fails the test on any
    error it logs (a script error, or anything the Content-Security-Policy blocked)."""
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need Debian's chromium: script/test installs it")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the database calls the
    # test makes between browser steps are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=live_server.url)
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # While Playwright's loop runs, the test's database calls got connections of their own.
        connections.close_all()
    assert errors == [], f"the browser logged errors: {errors}"
