from datetime import UTC, datetime

import pytest

from cityline.demo.emergencies import demo_area_subscribers, demo_emergency_record
from cityline.emergencies.models import Emergency
from cityline.emergencies.selectors import emergency_banner
from cityline.notifications.models import AreaSubscription

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_the_demo_records_a_past_emergency_once_and_shows_no_banner():
    # when
    first = demo_emergency_record(now=NOW)
    again = demo_emergency_record(now=NOW)
    # then
    assert (first, again) == (True, False)
    storm = Emergency.objects.get()
    assert not storm.ongoing and storm.ended_at is not None and storm.ended_at < NOW
    assert emergency_banner(language="en") is None


def test_the_demo_has_a_few_confirmed_subscribers_by_email_and_text_once():
    # when
    demo_area_subscribers()
    demo_area_subscribers()
    # then
    live = AreaSubscription.objects.filter(confirmed_at__isnull=False, stopped_at__isnull=True)
    assert live.exclude(email="").count() == 2
    assert live.exclude(phone="").count() == 2
