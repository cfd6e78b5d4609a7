"""Settings every test runs under, and the cast of people the tests talk about."""

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
    # Every commit wakes the (immediate) worker, so side effects are visible at once.
    settings.CITYLINE_OUTBOX_WAKE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    # What a previous test created was rolled back without a signal: forget it.
    from cityline.accounts.selectors import api_key_cache_clear
    from cityline.geo.areas import area_index_forget

    area_index_forget()
    api_key_cache_clear()
