"""The worker's spike check over the database and the store: each spike raised, and e-mailed to
the 311 supervisors, once while it lasts; a new one only after a quiet check."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.models import Spike
from cityline.analytics.services import analytics_refresh
from cityline.analytics.spike_services import spikes_check
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.outbox import outbox_sweep
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

# Monday 16 March 2026, 13:00 in Chicago.
NOW = datetime(2026, 3, 16, 18, 0, tzinfo=UTC)


@pytest.fixture
def city(settings):
    settings.CITYLINE_DISTRICT_LAYER = "council"
    layer = BoundaryLayerFactory.create(slug="council")
    district = BoundaryAreaFactory.create(
        layer=layer, code="1", name="District 1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    basements = ServiceTypeFactory.create(code="basement", name="Water in basement")
    # Two weeks of one request a day, at 10:00.
    for day in range(14, 0, -1):
        file_at(NOW - timedelta(days=day, hours=3), basements)
    analytics_refresh(full=True)
    supervisors = [
        user_with_role(Role.SUPERVISOR_311, email=f"supervisor{n}@example.org") for n in (1, 2)
    ]
    user_with_role(Role.AUDITOR, email="auditor@example.org")
    return basements, district, supervisors


def spike_mails() -> list:
    return [message for message in mail.outbox if message.subject.startswith("Spike")]


def file_at(when: datetime, service_type, count: int = 1) -> None:
    with time_machine.travel(when, tick=False):
        for _ in range(count):
            make_request(service_type=service_type, latitude=41.85, longitude=-87.65)


def test_a_spike_is_raised_and_mailed_once_while_it_lasts_and_again_after_it_ended(city):
    # given eight requests of a type that has one a day, in the last hour
    basements, district, _ = city
    file_at(NOW - timedelta(minutes=30), basements, count=8)
    # when the worker checks
    first = spikes_check(now=NOW)
    outbox_sweep()
    # then one spike is raised, and each 311 supervisor (only they) is e-mailed once
    assert first.raised == 1
    spike = Spike.objects.get()
    assert (spike.service_type, spike.area, spike.observed) == (basements, district, 8)
    assert spike.expected < 1
    assert sorted(message.to[0] for message in spike_mails()) == [
        "supervisor1@example.org",
        "supervisor2@example.org",
    ]
    assert "8 Water in basement requests in District 1" in spike_mails()[0].subject

    # given the spike grows
    file_at(NOW + timedelta(minutes=10), basements, count=3)
    # when the next check finds it
    second = spikes_check(now=NOW + timedelta(minutes=15))
    outbox_sweep()
    # then it is the same spike, with its new count, and nobody is e-mailed again
    assert (second.raised, second.continued) == (0, 1)
    spike.refresh_from_db()
    assert (spike.observed, spike.ended_at) == (11, None)
    assert spike.last_seen_at == NOW + timedelta(minutes=15)
    assert len(spike_mails()) == 2

    # when a check finds the district quiet the next day
    later = NOW + timedelta(days=1)
    quiet = spikes_check(now=later)
    # then the spike has ended
    assert quiet.ended == 1
    spike.refresh_from_db()
    assert spike.ended_at == later

    # given a new burst after it ended
    file_at(later + timedelta(minutes=20), basements, count=9)
    # when the worker checks
    again = spikes_check(now=later + timedelta(minutes=30))
    outbox_sweep()
    # then it is a new spike, e-mailed again
    assert again.raised == 1
    assert Spike.objects.count() == 2
    assert len(spike_mails()) == 4


def test_a_usual_day_raises_nothing(city):
    # given the type's usual request today
    basements, _, _ = city
    file_at(NOW - timedelta(hours=1), basements)
    # when the worker checks
    result = spikes_check(now=NOW)
    # then nothing is raised or mailed
    assert result.raised == 0
    assert not Spike.objects.exists()
    outbox_sweep()
    assert spike_mails() == []


def test_the_command_checks_and_says_what_it_found(city, capsys):
    # given a burst
    basements, _, _ = city
    file_at(NOW - timedelta(minutes=5), basements, count=8)
    # when the operator runs the check
    with time_machine.travel(NOW, tick=False):
        call_command("analytics", "spikes")
    # then it reports the spike raised
    assert "1 spikes raised" in capsys.readouterr().out
    assert Spike.objects.filter(ended_at=None).count() == 1


def test_without_a_store_nothing_is_raised(settings, tmp_path):
    # given a burst but an empty store
    settings.CITYLINE_DISTRICT_LAYER = "council"
    layer = BoundaryLayerFactory.create(slug="council")
    BoundaryAreaFactory.create(layer=layer, geometry=square(west=-87.7, south=41.8, size=0.1))
    file_at(NOW - timedelta(minutes=5), ServiceTypeFactory.create(), count=8)
    # when the worker checks
    result = spikes_check(now=NOW)
    # then there is no baseline to measure against, and nothing is raised
    assert result.raised == 0
    assert not Spike.objects.exists()
