from datetime import timedelta

import factory

from cityline.analytics.models import Spike
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.geo.tests.factories import BoundaryAreaFactory


class SpikeFactory(factory.django.DjangoModelFactory[Spike]):
    """An open spike raised a quarter of an hour ago."""

    class Meta:
        model = Spike

    service_type = factory.SubFactory(ServiceTypeFactory)
    area = factory.SubFactory(BoundaryAreaFactory)
    raised_at = factory.LazyFunction(lambda: clock.now() - timedelta(minutes=15))
    last_seen_at = factory.LazyFunction(clock.now)
    window_start = factory.LazyAttribute(lambda o: o.raised_at - timedelta(hours=3))
    window_end = factory.LazyAttribute(lambda o: o.raised_at)
    observed = 14
    expected = 1.5
    tail_probability = 1e-7
